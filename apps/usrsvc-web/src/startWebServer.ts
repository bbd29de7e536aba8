import { nativeNotifySocket, nativeTryLockFile, notifySocketUnavailable } from '@usrsvc/exitwatch';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { apiSocketPath, createApiClient } from '@usrsvc/api';
import { serve } from '@hono/node-server';
import { defaultStateDir, ensureStateDir, type LaunchContext } from '@usrsvc/launcher';
import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import { type LogFollowOptions, createWebApp } from './createWebApp.js';
import { followProgramLogs } from './followProgramLogs.js';
import { LauncherSource } from './launcherSource.js';
import { type ListenRequest, planListen } from './listenPlan.js';
import { loadPageAssets } from './pageAssets.js';
import { StateHub } from './StateHub.js';
import { loadOrCreateTokens } from './tokens.js';
import { type WebLogger, silentLogger } from './WebLogger.js';
import type { LogLine, ProgramView } from '@usrsvc/api';

export interface WebServerOptions extends ListenRequest {
  env?: NodeJS.ProcessEnv;
  /** The main config file; default as the CLI finds it ($USRSVC_CONFIG, $HOME/usrsvc.cfg). */
  configPath?: string;
  /** The bundled page (index.html, app.js, app.css). */
  assetsDir: string;
  logger?: WebLogger;
  /** Logs without usrsvcd; default: usrsvc-web reads the program's configured files itself (@usrsvc/logs). */
  followLogs?: (program: ProgramView, options: LogFollowOptions) => AsyncIterable<LogLine>;
  retryMs?: number;
  launcherRefreshMs?: number;
}

export interface WebServer {
  /** e.g. http://127.0.0.1:9715 */
  origin: string;
  port: number;
  hub: StateHub;
  close(): Promise<void>;
}

/**
 * What the addon gives the page's own actions (without usrsvcd): starts wait for sd_notify like the
 * CLI's, and locks are flock(2) without a flock(1) process per attempt.
 */
function nativeContext(): Pick<LaunchContext, 'notifySocket' | 'notifyUnavailable' | 'tryLockFile'> {
  const notifySocket = nativeNotifySocket();
  const tryLockFile = nativeTryLockFile();
  return {
    ...(notifySocket ? { notifySocket } : { notifyUnavailable: notifySocketUnavailable() ?? 'not available' }),
    ...(tryLockFile ? { tryLockFile } : {}),
  };
}

/** Starts usrsvc-web: tokens in the state folder, the daemon (or launcher) view, the HTTP(S) server. */

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const env = options.env ?? process.env;
  const logger = options.logger ?? silentLogger;
  const uid = process.getuid?.() ?? 0;
  const stateDir = ensureStateDir(defaultStateDir(env), uid);
  const tokens = loadOrCreateTokens(stateDir);
  const launcher = new LauncherSource(
    { env, uid, stateDir, logger: { debug: () => undefined, info: () => undefined, warn: logger.warn, error: logger.warn }, ...nativeContext() },
    options.configPath,
  );
  const main = tryMain(launcher);
  const plan = planListen({
    listen: options.listen ?? main?.webListen,
    allowRemote: options.allowRemote,
    tlsCert: options.tlsCert ?? main?.webTlsCert,
    tlsKey: options.tlsKey ?? main?.webTlsKey,
    serverNames: options.serverNames,
  });
  const client = createApiClient({ socket: apiSocketPath(stateDir) });
  const hub = new StateHub({ client, launcher, logger, retryMs: options.retryMs, launcherRefreshMs: options.launcherRefreshMs });
  const app = createWebApp({
    hub,
    client,
    assets: loadPageAssets(options.assetsDir),
    tokens,
    allowedHosts: plan.allowedHosts,
    scheme: plan.tls ? 'https' : 'http',
    cookieName: `usrsvc_web_${plan.port}`,
    followLogs: options.followLogs ?? followProgramLogs,
    onRefused: (status: number, reason: string, c: Context) => {
      let from = '?';
      try {
        from = getConnInfo(c).remote.address ?? '?';
      } catch {}
      logger.warn(`refused ${c.req.method} ${new URL(c.req.url).pathname} from ${from}: ${status} ${reason}`);
    },
  });
  hub.start();

  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const started = serve(
      {
        fetch: app.fetch,
        hostname: plan.host,
        port: plan.port,
        ...(plan.tls ? { createServer: https.createServer, serverOptions: { cert: plan.tls.cert, key: plan.tls.key } } : {}),
      },
      () => resolve(started),
    );
    started.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  return {
    origin: plan.origin,
    port,
    hub,
    async close() {
      await hub.close();
      await new Promise<void>((resolve) => {
        (server as import('node:http').Server).closeAllConnections?.();
        server.close(() => resolve());
      });
    },
  };
}

function tryMain(launcher: LauncherSource) {
  try {
    return launcher.readConfig().main;
  } catch {
    return undefined;
  }
}

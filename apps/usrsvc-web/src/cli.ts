import { parseArgs } from 'node:util';
import { captureInheritedLimits, defaultStateDir, ensureStateDir } from '@usrsvc/launcher';
import { ListenRefusedError, TokenFileError } from './errors.js';
import { LauncherSource } from './launcherSource.js';
import { planListen } from './listenPlan.js';
import { startWebServer } from './startWebServer.js';
import { loadOrCreateTokens } from './tokens.js';
import { USAGE } from './usage.js';
import type { WebServerOptions } from './startWebServer.js';

export interface WebCliOptions {
  assetsDir: string;
  version: string;
  env?: NodeJS.ProcessEnv;
  followLogs?: WebServerOptions['followLogs'];
}

/** `usrsvc-web`: serves until SIGTERM/SIGINT (exit code 0), or prints `url` / `token`. */
export async function runUsrsvcWebCli(argv: string[], cli: WebCliOptions): Promise<number> {
  const env = cli.env ?? process.env;
  // The open-files limit we were started with, before Node raised it: programs get that one.
  captureInheritedLimits(env);
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    process.stderr.write(`usrsvc-web: ${(error as Error).message}\n${USAGE}`);
    return 131;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(USAGE);
    return 138;
  }
  if (values.version) {
    process.stdout.write(`${cli.version}\n`);
    return 138;
  }
  const command = positionals[0] ?? 'serve';
  try {
    if (command === 'url' || command === 'token') {
      const tokens = loadOrCreateTokens(ensureStateDir(defaultStateDir(env), process.getuid?.() ?? 0));
      const token = values['read-only'] ? tokens.readOnly : values.metrics && command === 'token' ? tokens.metrics : tokens.admin;
      if (command === 'token') {
        process.stdout.write(`${token}\n`);
        return 0;
      }
      const main = readMain(env, values.config);
      const plan = planListen({
        listen: values.listen ?? main?.webListen,
        allowRemote: values['allow-remote'],
        tlsCert: values['tls-cert'] ?? main?.webTlsCert,
        tlsKey: values['tls-key'] ?? main?.webTlsKey,
        serverNames: values['server-name'],
      });
      process.stdout.write(`${plan.origin}/?token=${token}\n`);
      return 0;
    }
    if (command !== 'serve') {
      process.stderr.write(`usrsvc-web: unknown command ${command}\n${USAGE}`);
      return 131;
    }
    return await serve(values, env, cli);
  } catch (error) {
    if (error instanceof ListenRefusedError || error instanceof TokenFileError) {
      process.stderr.write(`usrsvc-web: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      listen: { type: 'string' },
      'allow-remote': { type: 'boolean' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      'server-name': { type: 'string', multiple: true },
      config: { type: 'string' },
      'read-only': { type: 'boolean' },
      metrics: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean' },
    },
  });
}

async function serve(values: ReturnType<typeof parse>['values'], env: NodeJS.ProcessEnv, cli: WebCliOptions): Promise<number> {
  const log = (level: string) => (message: string) => process.stderr.write(`${new Date().toISOString()} usrsvc-web ${level}: ${message}\n`);
  const server = await startWebServer({
    env,
    assetsDir: cli.assetsDir,
    configPath: values.config,
    listen: values.listen,
    allowRemote: values['allow-remote'],
    tlsCert: values['tls-cert'],
    tlsKey: values['tls-key'],
    serverNames: values['server-name'],
    followLogs: cli.followLogs,
    logger: { info: log('info'), warn: log('warning') },
  });
  log('info')(`listening on ${server.origin} (open the address that \`usrsvc-web url\` prints)`);
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  await server.close();
  return 0;
}

function readMain(env: NodeJS.ProcessEnv, configPath: string | undefined) {
  try {
    return new LauncherSource({ env }, configPath).readConfig().main;
  } catch {
    return undefined;
  }
}

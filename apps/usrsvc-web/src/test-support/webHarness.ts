import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { freePort, waitFor } from '@usrsvc/testkit';

export { freePort };
import { DaemonHarness } from '../../../usrsvcd/src/test-support/daemonHarness.js';

export const WEB_BIN = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));

/** A temp HOME with usrsvc.cfg (DaemonHarness: programs, usrsvcd), and usrsvc-web started in it. */
export class WebHarness extends DaemonHarness {
  port = 0;
  web: ChildProcess | undefined;
  webLog = '';

  private lastDaemon: ChildProcess | undefined;

  override startDaemon(extraEnv: NodeJS.ProcessEnv = {}): ChildProcess {
    this.lastDaemon = super.startDaemon(extraEnv);
    return this.lastDaemon;
  }

  /** The usrsvcd this harness started last. */
  daemonProcess(): ChildProcess {
    if (!this.lastDaemon) throw new Error('no usrsvcd started');
    return this.lastDaemon;
  }

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Starts `usrsvc-web --listen 127.0.0.1:PORT` and waits until it listens. */
  async startWeb(args: string[] = []): Promise<ChildProcess> {
    this.port ||= await freePort();
    this.webLog = '';
    const child = spawn(process.execPath, [WEB_BIN, '--listen', `127.0.0.1:${this.port}`, ...args], {
      env: this.env(),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.reaper.track(child.pid);
    child.stderr?.on('data', (chunk: Buffer) => {
      this.webLog += chunk.toString();
    });
    this.web = child;
    await waitFor('usrsvc-web to listen', () => (child.exitCode !== null ? Promise.reject(new Error(`usrsvc-web exited ${child.exitCode}: ${this.webLog}`)) : this.webLog.includes('listening on')), {
      timeoutMs: 20_000,
    });
    return child;
  }

  /** Runs `usrsvc-web ARGS` to its end. */
  webCli(args: string[]): { code: number; stdout: string; stderr: string } {
    try {
      const stdout = execFileSync(process.execPath, [WEB_BIN, ...args], { env: this.env(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      return { code: 0, stdout, stderr: '' };
    } catch (error) {
      const e = error as { status: number; stdout: string; stderr: string };
      return { code: e.status, stdout: e.stdout, stderr: e.stderr };
    }
  }

  /** What `usrsvc-web url` prints for this harness's port. */
  pageUrl(readOnly = false): string {
    return this.webCli(['url', '--listen', `127.0.0.1:${this.port}`, ...(readOnly ? ['--read-only'] : [])]).stdout.trim();
  }

  token(kind: 'admin' | 'read-only' | 'metrics' = 'admin'): string {
    const flag = kind === 'read-only' ? ['--read-only'] : kind === 'metrics' ? ['--metrics'] : [];
    return this.webCli(['token', ...flag]).stdout.trim();
  }

  /** A request to usrsvc-web, as a script would make it (no browser). */
  request(path: string, init: RequestInit & { token?: string | null } = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    const token = init.token === undefined ? this.token() : init.token;
    if (token) headers.set('authorization', `Bearer ${token}`);
    return fetch(`${this.origin}${path}`, { ...init, headers, redirect: 'manual' });
  }

  /** The program's pid as its pidfile says, once it is a live process. */
  pidOf(name: string): number | undefined {
    try {
      const pid = Number.parseInt(fs.readFileSync(this.home.path(`${name}.pid`), 'utf8'), 10);
      return Number.isFinite(pid) && fs.existsSync(`/proc/${pid}`) ? pid : undefined;
    } catch {
      return undefined;
    }
  }

  async stopWeb(): Promise<void> {
    const web = this.web;
    if (!web || web.exitCode !== null) return;
    web.kill('SIGTERM');
    await waitFor('usrsvc-web to exit', () => web.exitCode !== null || web.signalCode !== null, { timeoutMs: 10_000 });
  }

  override async cleanup(): Promise<void> {
    await this.stopWeb().catch(() => undefined);
    await super.cleanup();
  }
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One HTTP request with exactly these headers (Host and Origin included), as any client could send it. */
export function rawRequest(port: number, method: string, path: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const request = http.request({ host: '127.0.0.1', port, method, path, headers, agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    request.on('error', reject);
    request.end();
  });
}

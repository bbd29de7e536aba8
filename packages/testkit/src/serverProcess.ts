import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import { closedPort } from './smtpTestServer.js';
import { waitFor } from './waitFor.js';

/** A server binary the test started as its child, on 127.0.0.1. */
export interface ServerProcess {
  pid: number;
  /** http://127.0.0.1:PORT */
  url: string;
  port: number;
  /** The last 8 kB of its stderr and stdout, for failure messages. */
  output(): string;
  /** SIGTERM, then SIGKILL if it has not exited within 5 s. */
  stop(): Promise<void>;
}

export interface StartServerOptions {
  /** Absolute path of the binary; it must exist (a missing one fails the test, it never skips it). */
  binary: string;
  /** Arguments for a given port. */
  args(port: number): string[];
  /** Path (e.g. "/-/ready") that answers 200 once the server is ready. */
  readyPath: string;
  timeoutMs?: number;
}

/** Starts a server on a free port and waits until readyPath answers 200; tries 3 ports if one was taken. */
export async function startServerProcess(options: StartServerOptions): Promise<ServerProcess> {
  if (!fs.existsSync(options.binary)) {
    throw new Error(`${options.binary} is not installed (apt-get install prometheus prometheus-alertmanager prometheus-node-exporter)`);
  }
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const port = await closedPort();
    const child = spawn(options.binary, options.args(port), { stdio: ['ignore', 'pipe', 'pipe'] });
    const server = wrap(child, port);
    try {
      await waitFor(
        `${options.binary} to answer on 127.0.0.1:${port}${options.readyPath}`,
        async () => {
          if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${options.binary} exited: ${server.output()}`);
          try {
            const response = await fetch(`${server.url}${options.readyPath}`, { signal: AbortSignal.timeout(2000) });
            await response.arrayBuffer();
            return response.ok;
          } catch {
            return false;
          }
        },
        { timeoutMs: options.timeoutMs ?? 30_000, intervalMs: 50 },
      );
      return server;
    } catch (error) {
      lastError = error;
      await server.stop();
    }
  }
  throw lastError;
}

function wrap(child: ChildProcess, port: number): ServerProcess {
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-8192);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    pid: child.pid ?? 0,
    port,
    url: `http://127.0.0.1:${port}`,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

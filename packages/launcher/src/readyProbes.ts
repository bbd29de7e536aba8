import fs from 'node:fs';
import net from 'node:net';
import { type ReadyCheck, type StatusRange, statusAccepted } from '@usrsvc/config';

/** One attempt of a ready check: passed, or why not (shown as the check's last result). */
export type ProbeResult = { ok: true } | { ok: false; detail: string };

export type ReadyProbe = () => Promise<ProbeResult>;

export interface ProbeSettings {
  check: Exclude<ReadyCheck, { kind: 'notify' }>;
  statuses: readonly StatusRange[];
  timeoutMs: number;
  /** The program's environment: what an exec check runs with. */
  env: NodeJS.ProcessEnv;
  /** The program's stdout and stderr files and their sizes when the launch began (log checks). */
  logs: ReadonlyArray<{ file: string; offset: number }>;
}

/** A probe for a tcp, http(s), exec or log check. */
export function readyProbe(settings: ProbeSettings): ReadyProbe {
  const { check } = settings;
  switch (check.kind) {
    case 'tcp':
      return () => tcpProbe(check.host, check.port, settings.timeoutMs);
    case 'http':
      return () => httpProbe(check.url, settings.statuses, settings.timeoutMs);
    case 'exec':
      return () => execProbe(check.argv, settings.env, settings.timeoutMs);
    case 'log':
      return logProbe(check.regex, settings.logs);
  }
}

function tcpProbe(host: string, port: number, timeoutMs: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (result: ProbeResult) => {
      socket.destroy();
      clearTimeout(timer);
      resolve(result);
    };
    const timer = setTimeout(() => done({ ok: false, detail: `no answer within ${timeoutMs} ms` }), timeoutMs);
    socket.once('connect', () => done({ ok: true }));
    socket.once('error', (error: NodeJS.ErrnoException) => done({ ok: false, detail: error.code ?? error.message }));
  });
}

/**
 * Certificates are not verified: the check asks whether the program answers, not whom to trust.
 * node:http and node:https (with tls and crypto, ~5 ms of start-up) are loaded on the first http
 * check, not by every command that bundles the launcher (`usrsvc status`).
 */
async function httpProbe(url: string, statuses: readonly StatusRange[], timeoutMs: number): Promise<ProbeResult> {
  const client = url.startsWith('https:') ? await import('node:https') : await import('node:http');
  return new Promise((resolve) => {
    const request = client.get(url, { timeout: timeoutMs, rejectUnauthorized: false, agent: false }, (response) => {
      response.resume();
      const status = response.statusCode ?? 0;
      resolve(statusAccepted(status, statuses) ? { ok: true } : { ok: false, detail: `HTTP ${status}` });
      request.destroy();
    });
    request.once('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.once('error', (error: NodeJS.ErrnoException) => resolve({ ok: false, detail: error.code ?? error.message }));
  });
}

/** Run without a shell, as we are, with the program's environment; killed at the timeout. */
function execProbe(argv: readonly string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    process.getBuiltinModule('node:child_process').execFile(argv[0]!, argv.slice(1), { env, timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 }, (error, _stdout, stderr) => {
      if (!error) return resolve({ ok: true });
      const lastLine = String(stderr).trim().split('\n').pop() ?? '';
      const why = error.killed ? `killed after ${timeoutMs} ms` : typeof error.code === 'number' ? `exit ${error.code}` : String(error.code ?? error.message);
      resolve({ ok: false, detail: lastLine ? `${why}: ${lastLine.slice(0, 200)}` : why });
    });
  });
}

/**
 * Reads only what was appended since the launch began, line by line; a file that became smaller
 * than what was read (rotated by copy and truncate, or replaced) is read again from its start.
 */
function logProbe(regex: RegExp, logs: ProbeSettings['logs']): ReadyProbe {
  const files = [...new Map(logs.map((log) => [log.file, { file: log.file, offset: log.offset, partial: '' }])).values()];
  return async () => {
    for (const log of files) {
      let size: number;
      try {
        size = fs.statSync(log.file).size;
      } catch {
        continue;
      }
      if (size < log.offset) {
        log.offset = 0;
        log.partial = '';
      }
      if (size === log.offset) continue;
      const length = Math.min(size - log.offset, 1 << 20);
      const buffer = Buffer.alloc(length);
      const fd = fs.openSync(log.file, 'r');
      let read: number;
      try {
        read = fs.readSync(fd, buffer, 0, length, log.offset);
      } finally {
        fs.closeSync(fd);
      }
      log.offset += read;
      const lines = (log.partial + buffer.subarray(0, read).toString('utf8')).split('\n');
      log.partial = lines.pop() ?? '';
      if (lines.some((line) => regex.test(line))) return { ok: true };
    }
    return { ok: false, detail: 'no matching line yet' };
  };
}

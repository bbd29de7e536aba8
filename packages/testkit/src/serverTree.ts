import fs from 'node:fs';
import http from 'node:http';
import type { HomeProcess } from './processesOfHome.js';

function statFields(pid: number): string[] | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** Still the same process (PID and start time) and not a zombie. */
export function isSameLiveProcess(process: HomeProcess): boolean {
  const fields = statFields(process.pid);
  return fields !== undefined && fields[19] === process.startTicks && fields[0] !== 'Z' && fields[0] !== 'X';
}

/**
 * The live children of `parent` (a server's workers: gunicorn's, nginx's), from /proc, with their
 * start time; only those whose command line starts with `titlePrefix` when it is given.
 */
export function childrenOf(parent: number, titlePrefix?: string): HomeProcess[] {
  const found: HomeProcess[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = statFields(Number(entry));
    if (!fields || Number(fields[1]) !== parent || fields[0] === 'Z' || fields[0] === 'X') continue;
    try {
      if (titlePrefix !== undefined && !fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').startsWith(titlePrefix)) continue;
    } catch {
      continue; // gone meanwhile
    }
    found.push({ pid: Number(entry), startTicks: fields[19]! });
  }
  return found;
}

/** The body of GET `path` on 127.0.0.1:port when it answers 200; undefined otherwise (nothing listening, another status, no answer within timeoutMs). */
export function httpGetBody(port: number, path = '/', timeoutMs = 1_000): Promise<string | undefined> {
  return new Promise((resolve) => {
    const request = http.get({ host: '127.0.0.1', port, path, timeout: timeoutMs, agent: false }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      response.on('end', () => resolve(response.statusCode === 200 ? body : undefined));
      response.on('error', () => resolve(undefined));
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(undefined));
  });
}

/** The process group of a PID (what `ps -o pgid` shows); undefined when it is gone. */
export function processGroupOf(pid: number): number | undefined {
  const fields = statFields(pid);
  return fields === undefined ? undefined : Number(fields[2]);
}

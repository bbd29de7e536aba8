import fs from 'node:fs';
import type { ProcessInfo, ProcessTable } from '@usrsvc/procscan';
import { mayBelong } from './programTree.js';

/**
 * The launch cookie: every process usrsvc launches gets these in its environment, and its
 * children inherit them through fork, setsid, double forks and exec, so what a program left
 * behind is found by /proc/PID/environ even after it escaped its tree.
 */
export const PROGRAM_COOKIE = 'USRSVC_PROGRAM';
export const LAUNCH_COOKIE = 'USRSVC_LAUNCH';

export interface LaunchCookie {
  program: string;
  launch: string;
}

/** A new launch id: unique on this host (time and randomness), safe in an environment variable. */
export function newLaunchId(): string {
  return `${Date.now().toString(36)}-${randomHex(6)}`;
}

/** The program's environment with the cookie of this launch on top (it replaces one inherited from our own environment). */
export function withLaunchCookie(env: NodeJS.ProcessEnv, cookie: LaunchCookie): NodeJS.ProcessEnv {
  return { ...env, [PROGRAM_COOKIE]: cookie.program, [LAUNCH_COOKIE]: cookie.launch };
}

const PROGRAM_KEY = Buffer.from(`${PROGRAM_COOKIE}=`);
const LAUNCH_KEY = Buffer.from(`${LAUNCH_COOKIE}=`);

/** The cookie in /proc/PID/environ; undefined when it carries none or cannot be read (gone, another user). */
export function readLaunchCookie(pid: number): LaunchCookie | undefined {
  let environ: Buffer;
  try {
    environ = fs.readFileSync(`/proc/${pid}/environ`);
  } catch {
    return undefined;
  }
  const program = environValue(environ, PROGRAM_KEY);
  const launch = program === undefined ? undefined : environValue(environ, LAUNCH_KEY);
  return program === undefined || launch === undefined ? undefined : { program, launch };
}

function environValue(environ: Buffer, key: Buffer): string | undefined {
  for (let at = environ.indexOf(key); at !== -1; at = environ.indexOf(key, at + 1)) {
    if (at !== 0 && environ[at - 1] !== 0) continue;
    const end = environ.indexOf(0, at + key.length);
    return environ.toString('utf8', at + key.length, end === -1 ? environ.length : end);
  }
  return undefined;
}

/** A process and the cookie it carries. */
export interface CookieCarrier {
  info: ProcessInfo;
  launch: string;
}

const readTables = new WeakMap<ProcessTable, Map<number, LaunchCookie | undefined>>();

/** A tick of slack: start times are precise to 10 ms. */
const START_SLACK_MS = 20;

/**
 * Every process of `table` that may belong to us, started since `sinceMs` (no process started
 * before the program's oldest live launch can carry its cookie), and carries the cookie of program
 * `name`: one read of /proc/PID/environ per such process, each read once per table (kept for later
 * callers of the same table, e.g. `status` of every program). Callers re-check identities before
 * any signal.
 */
export function cookieCarriers(table: ProcessTable, name: string, uid: number, sinceMs = 0): CookieCarrier[] {
  let cookies = readTables.get(table);
  if (!cookies) {
    cookies = new Map();
    readTables.set(table, cookies);
  }
  const carriers: CookieCarrier[] = [];
  for (const info of table.processes) {
    if (info.startTime < sinceMs - START_SLACK_MS || !mayBelong(info, uid)) continue;
    let cookie = cookies.get(info.pid);
    if (cookie === undefined && !cookies.has(info.pid)) {
      cookie = readLaunchCookie(info.pid);
      cookies.set(info.pid, cookie);
    }
    if (cookie?.program === name) carriers.push({ info, launch: cookie.launch });
  }
  return carriers;
}

/** node:crypto loaded on the first launch only: it costs ~4 ms of every CLI start-up, status included. */
function randomHex(bytes: number): string {
  return process.getBuiltinModule('node:crypto').randomBytes(bytes).toString('hex');
}

import fs from 'node:fs';

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

/** node:crypto loaded on the first launch only: it costs ~4 ms of every CLI start-up, status included. */
function randomHex(bytes: number): string {
  return process.getBuiltinModule('node:crypto').randomBytes(bytes).toString('hex');
}

import fs from 'node:fs';
import type { ResourceLimit } from '@usrsvc/config';

/**
 * "SOFT:HARD" of RLIMIT_NOFILE as the user's environment had it before Node raised its own soft
 * limit to the hard one at start-up. Set by captureInheritedLimits in every usrsvc command and
 * passed on through the environment: to usrsvcd started by the CLI, and with the environment a
 * program's run was started with (so a restart by usrsvcd gives the program what the run had).
 * It never reaches a program's environment.
 */
export const INHERITED_NOFILE_ENV = 'USRSVC_INHERITED_NOFILE';

function readNofile(pid: number | 'self'): { soft: number | 'infinity'; hard: number | 'infinity' } | undefined {
  try {
    const match = /^Max open files\s+(\S+)\s+(\S+)/m.exec(fs.readFileSync(`/proc/${pid}/limits`, 'utf8'));
    if (!match) return undefined;
    const value = (text: string) => (text === 'unlimited' ? ('infinity' as const) : Number(text));
    return { soft: value(match[1]!), hard: value(match[2]!) };
  } catch {
    return undefined;
  }
}

const below = (a: number | 'infinity', b: number | 'infinity') => b === 'infinity' ? a !== 'infinity' : a !== 'infinity' && a < b;

/**
 * Call first thing in a command's start-up. Node raises its soft RLIMIT_NOFILE to the hard limit
 * and keeps no trace of the value it inherited, so: the value a usrsvc process of ours passed on
 * (INHERITED_NOFILE_ENV) when there is one; else our own soft limit when Node left it below the
 * hard one; else the soft limit of our parent process (the shell, cron, sshd: what we inherited
 * from), capped at our hard limit, which Node does not change. Writes the result to `env`.
 */
export function captureInheritedLimits(env: NodeJS.ProcessEnv = process.env): ResourceLimit | undefined {
  const passed = inheritedNofile(env);
  if (passed) return passed;
  const own = readNofile('self');
  if (!own) return undefined;
  let soft = own.soft;
  if (!below(own.soft, own.hard)) {
    const parent = readNofile(process.ppid);
    if (parent && below(parent.soft, own.hard)) soft = parent.soft;
  }
  const limit = { soft, hard: own.hard };
  env[INHERITED_NOFILE_ENV] = `${limit.soft}:${limit.hard}`;
  return limit;
}

/** The inherited RLIMIT_NOFILE an environment carries, if any. */
export function inheritedNofile(env: NodeJS.ProcessEnv): ResourceLimit | undefined {
  const match = /^(\d+|infinity):(\d+|infinity)$/.exec(env[INHERITED_NOFILE_ENV] ?? '');
  if (!match) return undefined;
  const value = (text: string) => (text === 'infinity' ? ('infinity' as const) : Number(text));
  return { soft: value(match[1]!), hard: value(match[2]!) };
}

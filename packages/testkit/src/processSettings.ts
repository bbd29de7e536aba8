import fs from 'node:fs';

const LIMIT_ROWS: Record<string, string> = {
  'Max open files': 'nofile',
  'Max processes': 'nproc',
  'Max core file size': 'core',
  'Max locked memory': 'memlock',
  'Max address space': 'as',
  'Max file size': 'fsize',
  'Max stack size': 'stack',
};

export interface ProcLimit {
  soft: number | 'infinity';
  hard: number | 'infinity';
}

/** /proc/PID/limits of the resources usrsvc sets (nofile, nproc, core, memlock, as, fsize, stack). */
export function procLimits(pid: number | 'self'): Record<string, ProcLimit> {
  const limits: Record<string, ProcLimit> = {};
  for (const line of fs.readFileSync(`/proc/${pid}/limits`, 'utf8').split('\n')) {
    const match = /^(Max [a-z ]+?)\s{2,}(\S+)\s+(\S+)/.exec(line);
    const resource = match && LIMIT_ROWS[match[1]!];
    if (!resource) continue;
    const value = (text: string) => (text === 'unlimited' ? 'infinity' : Number(text));
    limits[resource] = { soft: value(match[2]!), hard: value(match[3]!) };
  }
  return limits;
}

/** The Umask line of /proc/PID/status, as a number (0o022). */
export function procUmask(pid: number): number {
  const match = /^Umask:\s*([0-7]+)/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no Umask in /proc/${pid}/status`);
  return Number.parseInt(match[1]!, 8);
}

/** The nice value: field 19 of /proc/PID/stat. */
export function procNice(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
}

/** /proc/PID/environ as an object. */
export function procEnviron(pid: number): Record<string, string> {
  const env: Record<string, string> = {};
  for (const item of fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0')) {
    const equals = item.indexOf('=');
    if (equals > 0) env[item.slice(0, equals)] = item.slice(equals + 1);
  }
  return env;
}

/** /proc/PID/cwd. */
export function procCwd(pid: number): string {
  return fs.readlinkSync(`/proc/${pid}/cwd`);
}

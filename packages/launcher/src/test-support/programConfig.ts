import fs from 'node:fs';
import type { TempHome } from '@usrsvc/testkit';
import type { LauncherProgram } from '../LauncherProgram.js';

const escapeRe = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A program as @usrsvc/config would resolve it, with the original's defaults, living in `home`:
 * pidfile and logs below it. The default proctitle_re is the argv joined, escaped, anchored at
 * the end, as config derives it.
 */
export function programConfig(home: TempHome, overrides: Partial<LauncherProgram> & { name: string; command: string }): LauncherProgram {
  const useShell = overrides.useShell ?? false;
  const argv = overrides.argv ?? (useShell ? [] : overrides.command.split(' ').filter(Boolean));
  const titleSource = useShell ? (overrides.command.split('&&').pop() ?? '').trim() : argv.join(' ');
  fs.mkdirSync(home.path('logs'), { recursive: true });
  const stdout = overrides.stdout ?? home.path('logs', `${overrides.name}.log`);
  return {
    useShell,
    argv,
    pidfile: home.path('run', `${overrides.name}.pid`),
    enabled: true,
    autoPid: true,
    scanForProcess: true,
    proctitleRe: new RegExp(`${escapeRe(titleSource)}$`),
    successSeconds: 1,
    termToKillSeconds: 2,
    stdout,
    stderr: stdout,
    inheritEnv: true,
    env: {},
    ...overrides,
  };
}

/**
 * A `sleep` whose argv[0] is a path inside `home` (a symlink), so that its title is unique to
 * the test and no other process on the machine matches it.
 */
export function sleeper(home: TempHome, name = 'svc'): string {
  const link = home.path('bin', name);
  if (!fs.existsSync(link)) {
    fs.mkdirSync(home.path('bin'), { recursive: true });
    fs.symlinkSync(fs.realpathSync('/bin/sleep'), link);
  }
  return link;
}

/** Writes an executable sh script below home/bin and returns its path. */
export function script(home: TempHome, name: string, body: string): string {
  return home.write(`bin/${name}`, `#!/bin/sh\n${body}\n`, 0o755);
}

export interface RecordedLogger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  lines: string[];
}

export function recordingLogger(): RecordedLogger {
  const lines: string[] = [];
  const record = (level: string) => (message: string) => {
    lines.push(`${level}: ${message}`);
  };
  return { lines, debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') };
}

/** The SigIgn mask of a process, from /proc/<pid>/status. */
export function ignoredSignals(pid: number): bigint {
  const line = fs.readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('SigIgn:'));
  return BigInt(`0x${line?.split(/\s+/)[1] ?? '0'}`);
}

/** Bits of SIGINT (2) and SIGQUIT (3) in a signal mask. */
export const INT_AND_QUIT = (1n << 1n) | (1n << 2n);

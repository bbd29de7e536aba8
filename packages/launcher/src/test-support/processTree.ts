import fs from 'node:fs';
import type { TempHome } from '@usrsvc/testkit';

export interface LiveProcess {
  pid: number;
  cmdline: string;
}

/**
 * Every live process (zombies excluded) whose command line names a path below `home`: what a
 * test started, directly or through usrsvc, and nothing else on the machine. Read from /proc.
 */
export function processesUnder(home: TempHome): LiveProcess[] {
  const found: LiveProcess[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
      if (!cmdline.includes(home.dir)) continue;
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
      if (state !== 'Z' && state !== 'X') found.push({ pid: Number(entry), cmdline });
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

/** The command lines of processesUnder(home) that contain `marker`, sorted. */
export function runningWith(home: TempHome, marker: string): string[] {
  return processesUnder(home)
    .filter((p) => p.cmdline.includes(marker))
    .map((p) => p.cmdline.slice(p.cmdline.indexOf(marker)))
    .sort();
}

/**
 * A perl script that writes the name of every catchable stop signal it gets to `<name>.signals`
 * below home, and otherwise sleeps: a process outside the program's tree that must not be touched.
 * Returns its argv.
 */
export function sentinel(home: TempHome, name: string): string[] {
  const file = home.path(`${name}.signals`);
  const code = 'my $f = shift; for my $s (qw(TERM INT QUIT HUP USR1 USR2)) { $SIG{$s} = sub { open my $h, ">>", $f; print $h "$s\\n"; close $h } } sleep 1 while 1';
  return ['perl', '-e', code, file, `sentinel-${name}`];
}

/** The signals a sentinel got, in order. */
export function signalsReceived(home: TempHome, name: string): string[] {
  try {
    return fs.readFileSync(home.path(`${name}.signals`), 'utf8').split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

/** The process group and session of a process, from /proc/<pid>/stat. */
export function groupOf(pid: number): { pgid: number; sid: number } | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { pgid: Number(fields[2]), sid: Number(fields[3]) };
  } catch {
    return undefined;
  }
}

import fs from 'node:fs';
import type { TempHome } from './tempHome.js';

/** One line a program of instanceProgram wrote: its USRSVC_INSTANCE, what happened, its pid, when. */
export interface InstanceEvent {
  instance: string;
  what: 'started' | 'ready' | 'stopping';
  pid: number;
  at: number;
}

/**
 * A Python program for `instances = N` tests. It appends "INSTANCE started|ready|stopping PID T"
 * to `events` (its own timestamps prove an order), prints "instance K pid P" on stdout, then
 * "instance-ready" after `readyAfter` seconds (for ready_check = log:instance-ready), and exits
 * on SIGTERM. Its command takes --slot %(instance)02d, so each instance has its own title.
 */
export function instanceProgram(home: TempHome, events: string, readyAfter = 0.3): string {
  const file = home.write(
    'bin/instance.py',
    `import os, signal, sys, time
k = os.environ.get('USRSVC_INSTANCE', '-')
def mark(what):
    with open(${JSON.stringify(events)}, 'a') as f: f.write('%s %s %d %.6f\\n' % (k, what, os.getpid(), time.time()))
def term(*_):
    mark('stopping')
    sys.exit(0)
signal.signal(signal.SIGTERM, term)
mark('started')
print('instance %s pid %d' % (k, os.getpid()), flush=True)
time.sleep(${readyAfter})
mark('ready')
print('instance-ready', flush=True)
while True: time.sleep(3600)
`,
  );
  return `/usr/bin/python3 ${file} --slot %(instance)02d`;
}

/** The events instanceProgram's programs wrote, in the order written. */
export function readInstanceEvents(events: string): InstanceEvent[] {
  if (!fs.existsSync(events)) return [];
  return fs
    .readFileSync(events, 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [instance, what, pid, at] = line.split(' ');
      return { instance: instance!, what: what as InstanceEvent['what'], pid: Number(pid), at: Number(at) };
    });
}

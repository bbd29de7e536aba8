import fs from 'node:fs';
import path from 'node:path';
import type { TempHome } from './tempHome.js';

export interface WatchdogPingerOptions {
  /** Seconds between two WATCHDOG=1. */
  intervalSeconds: number;
  /** Pings only while this file exists (always when unset). */
  whilePresent?: string;
}

/**
 * A Python program (written below the HOME as bin/NAME.py) that speaks sd_notify on
 * $NOTIFY_SOCKET: READY=1 with STATUS=serving, then WATCHDOG=1 every intervalSeconds. It writes
 * how many pings were delivered (a send to a socket no one has bound fails) to pings.<its pid> in
 * the HOME: pingsDelivered() reads it. Returns the command line.
 */
export function writeWatchdogPinger(home: TempHome, name: string, options: WatchdogPingerOptions): string {
  const pinging = options.whilePresent ? `os.path.exists(${JSON.stringify(options.whilePresent)})` : 'True';
  const file = home.write(
    `bin/${name}.py`,
    `import os, socket, time
sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
def notify(text):
    try:
        sock.sendto(text.encode(), os.environ['NOTIFY_SOCKET'])
        return True
    except OSError:
        return False
notify('READY=1\\nSTATUS=serving')
count = os.path.join(${JSON.stringify(home.dir)}, 'pings.%d' % os.getpid())
delivered = 0
while True:
    if ${pinging} and notify('WATCHDOG=1'):
        delivered += 1
        with open(count + '.tmp', 'w') as f: f.write(str(delivered))
        os.replace(count + '.tmp', count)
    time.sleep(${options.intervalSeconds})
`,
  );
  return `/usr/bin/python3 ${file}`;
}

/** How many WATCHDOG=1 the pinger running as `pid` had delivered (0 before the first). */
export function pingsDelivered(home: TempHome, pid: number): number {
  try {
    return Number(fs.readFileSync(path.join(home.dir, `pings.${pid}`), 'utf8'));
  } catch {
    return 0;
  }
}

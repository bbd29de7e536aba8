import fs from 'node:fs';
import { bootTime } from '@usrsvc/procscan';

let cached: string | undefined;

/** Identifies this boot: the kernel's boot_id, else the boot time. */
export function bootId(): string {
  if (cached === undefined) {
    try {
      cached = fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    } catch {
      // Rounded: each process derives the boot time from its own uptime reading.
      cached = `boot-time:${Math.round(bootTime() / 10_000)}`;
    }
  }
  return cached;
}

import fs from 'node:fs';

let cached: boolean | undefined;

/** True where /proc is a Linux-style procfs (it has /proc/self/stat). */
export function hasProcfs(): boolean {
  if (cached === undefined) cached = fs.existsSync('/proc/self/stat');
  return cached;
}

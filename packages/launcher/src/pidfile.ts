import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomicSync } from '@usrsvc/atomicfile';
import { readTextIfExists } from './readTextIfExists.js';

/** The PID in a pidfile; undefined when the file is missing or does not start with a number. */
export function readPidfile(file: string): number | undefined {
  const text = readTextIfExists(file);
  if (text === undefined) return undefined;
  const match = /^\s*(\d+)/.exec(text);
  const pid = match ? Number(match[1]) : Number.NaN;
  return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
}

/** Writes "PID\n" through a temporary file and a rename, so no reader sees a half-written file. */
export function writePidfile(file: string, pid: number): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  writeFileAtomicSync(file, `${pid}\n`);
}

/** Removes the pidfile; true when there was one. */
export function removePidfile(file: string): boolean {
  try {
    fs.unlinkSync(file);
    return true;
  } catch {
    return false;
  }
}

import type { RunningProcess } from '@usrsvc/launcher';
import { pythonRepr } from './pythonRepr.js';

/** The original's details block: `{'args': [...], 'cmdline': '...', 'pid': 12467, 'executable': '...', 'running': True}`. */
export function processDetails(process: RunningProcess): string {
  return pythonRepr({
    args: process.argv.slice(1),
    cmdline: process.cmdline,
    pid: process.pid,
    executable: process.executable ?? null,
    running: true,
  });
}

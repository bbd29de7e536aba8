import { Reaper, startProcess } from '@usrsvc/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { readProcessWithPs } from './psSingleProcess.js';
import { readProcess } from './readProcess.js';

// The single-process fallback for systems without /proc, checked here against /proc.
describe('readProcessWithPs', () => {
  const reaper = new Reaper();
  afterEach(() => reaper.killAll());

  it('reads one process through ps with the fields ps can give', () => {
    const pid = startProcess(reaper, 'sleep', ['600']);
    const viaPs = readProcessWithPs(pid);
    const viaProc = readProcess(pid)!;
    expect(viaPs).toMatchObject({
      pid,
      ppid: process.pid,
      uid: viaProc.uid,
      argv: ['sleep 600'],
      cmdline: 'sleep 600',
      name: 'sleep',
      state: 'S',
      rssKb: viaProc.rssKb,
    });
    expect(Math.abs(viaPs!.startTime - viaProc.startTime)).toBeLessThan(2000);
    expect(viaPs!.startTicks).toBe(Math.floor(viaPs!.startTime / 1000));
  });

  it('gives undefined for a PID that does not exist', () => {
    expect(readProcessWithPs(2 ** 22 + 1)).toBeUndefined();
  });
});

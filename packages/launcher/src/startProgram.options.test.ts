import { spawn } from 'node:child_process';
import { snapshotProcesses } from '@usrsvc/procscan';
import { waitFor } from '@usrsvc/testkit';
import { describe, expect, it } from 'vitest';
import { writePidfile } from './pidfile.js';
import { startProgram } from './startProgram.js';
import { useHarness } from './test-support/harness.js';
import { programConfig, sleeper } from './test-support/programConfig.js';

/** A matching process started by hand (no pidfile), as another tool or a person would. */
function startByHand(command: string[]): number {
  const child = spawn(command[0]!, command.slice(1), { detached: true, stdio: 'ignore' });
  child.unref();
  return child.pid!;
}

describe('startProgram options for a caller that knows more (the daemon)', () => {
  const h = useHarness();

  it('knownNotRunning: trusts the caller instead of scanning, but still honours a valid pidfile', async () => {
    const program = programConfig(h.home, { name: 'known', command: `${sleeper(h.home)} 401` });
    const byHand = startByHand([sleeper(h.home), '401']);
    h.reaper.track(byHand);
    await waitFor('the hand-started copy to run', () => snapshotProcesses().then((t) => t.processes.some((p) => p.pid === byHand)));

    // The scan is what would adopt the hand-started copy; the caller vouched that nothing runs.
    const launched = await startProgram(program, h.ctx, { ...h.track, knownNotRunning: true });
    h.reaper.track(launched.process?.pid);
    expect(launched).toMatchObject({ code: 0, outcome: 'started' });
    expect(launched.process!.pid).not.toBe(byHand);

    // A start by anyone else writes the pidfile, which is still read under the lock.
    writePidfile(program.pidfile, byHand);
    const again = await startProgram(program, h.ctx, { ...h.track, knownNotRunning: true });
    expect(again).toMatchObject({ code: 0, outcome: 'already-running', process: { pid: byHand, foundBy: 'pidfile' } });
  });

  it('table: scans the caller\'s snapshot for a running copy instead of taking a fresh one', async () => {
    const program = programConfig(h.home, { name: 'tabled', command: `${sleeper(h.home)} 402` });
    const before = await snapshotProcesses();
    const byHand = startByHand([sleeper(h.home), '402']);
    h.reaper.track(byHand);
    const after = await waitFor('a snapshot that shows the hand-started copy', async () => {
      const table = await snapshotProcesses();
      return table.processes.some((p) => p.pid === byHand && p.argv[0] === sleeper(h.home)) ? table : undefined;
    });

    const adopted = await startProgram(program, h.ctx, { ...h.track, table: after });
    expect(adopted).toMatchObject({ code: 0, outcome: 'already-running', process: { pid: byHand, foundBy: 'scan' } });

    // An older snapshot (taken before the copy started) is what the caller vouches for.
    writePidfile(program.pidfile, 999_999_999);
    const launched = await startProgram(program, h.ctx, { ...h.track, table: before });
    h.reaper.track(launched.process?.pid);
    expect(launched).toMatchObject({ code: 0, outcome: 'started' });
  });
});

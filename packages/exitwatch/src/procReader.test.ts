import fs from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { type ProcessInfo, type ProcessTable, snapshotProcesses } from '@usrsvc/procscan';
import { makeTempHome, Reaper, startProcess, startRetitledPerl, type TempHome, waitFor } from '@usrsvc/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nativeProcReader } from './procReader.js';
import { built } from './test-support/built.js';

let home: TempHome;
const reaper = new Reaper();
beforeEach(() => {
  home = makeTempHome('usrsvc-proc-reader-');
});
afterEach(() => {
  reaper.killAll();
  home.remove();
});

const reader = () => built(nativeProcReader());

const start = (command: string, args: string[]) => startProcess(reaper, command, args, { detached: true });

/** What two reads of one living process must agree on (state and memory move on their own). */
const steady = ({ state: _state, rssKb: _rss, ...rest }: ProcessInfo) => rest;

/** The same table read on the event loop, through the native reader, and on the loop again. */
const threeWays = async (uid?: number): Promise<[ProcessTable, ProcessTable, ProcessTable]> => [
  await snapshotProcesses({ uid }),
  await snapshotProcesses({ uid, readProc: reader() }),
  await snapshotProcesses({ uid }),
];

describe('nativeProcReader: /proc read on the thread pool', () => {
  it('gives the same processes as reading /proc on the event loop: argv, title, comm with ") ", groups', async () => {
    // A comm holding ") " and "(" is what a careless stat parser splits wrongly.
    const odd = home.path('a) b (c');
    fs.symlinkSync(fs.realpathSync('/bin/sleep'), odd);
    const pids = [
      start(odd, ['600']),
      await startRetitledPerl(reaper, 'svc: worker (idle)', ['old', 'args']),
      start('sh', ['-c', 'sleep 600 & wait', 'an arg with spaces', '', 'last']),
    ];
    const shellsSleep = await waitFor('the shell\'s sleep to be exec\'d', async () =>
      (await snapshotProcesses({ uid: process.getuid!() })).children(pids[2]!).find((p) => p.name === 'sleep'),
    );
    reaper.track(shellsSleep.pid);
    const [before, native, after] = await threeWays(process.getuid!());
    for (const pid of [process.pid, ...pids]) expect(steady(native.get(pid)!)).toEqual(steady(before.get(pid)!));
    expect(native.get(pids[0]!)?.name).toBe('a) b (c');
    expect(native.get(pids[1]!)?.argv).toEqual(['svc: worker (idle)']);
    expect(native.get(pids[2]!)?.argv).toEqual(['sh', '-c', 'sleep 600 & wait', 'an arg with spaces', '', 'last']);
    expect(native.children(pids[2]!).map((p) => p.argv)).toEqual([['sleep', '600']]);
    // Every other process reads the same too, but only those that held still across the three
    // reads: others on the machine exec, retitle and lose their parents while the test reads.
    const heldStill = (p: ProcessInfo) => {
      const later = after.get(p.pid);
      return later !== undefined && isDeepStrictEqual(steady(p), steady(later));
    };
    const shared = before.processes.filter((p) => heldStill(p) && native.get(p.pid)?.startTicks === p.startTicks);
    expect(shared.length).toBeGreaterThan(3);
    for (const info of shared) expect(steady(native.get(info.pid)!)).toEqual(steady(info));
  });

  it('reads only the given user\'s processes, and everyone\'s without one', async () => {
    const ownOf = async () => (await snapshotProcesses({ uid: process.getuid!(), readProc: reader() })).processes;
    const own = await ownOf();
    expect(own.length).toBeGreaterThan(0);
    expect(own.every((p) => p.uid === process.getuid!())).toBe(true);
    const all = await snapshotProcesses({ readProc: reader() });
    expect(all.get(process.pid)?.uid).toBe(process.getuid!());
    // Everyone's holds each of the user's processes that lived through both reads of the user's.
    const stillThere = new Set((await ownOf()).map((p) => `${p.pid}:${p.startTicks}`));
    const lived = own.filter((p) => stillThere.has(`${p.pid}:${p.startTicks}`));
    expect(lived.length).toBeGreaterThan(0);
    expect(lived.filter((p) => all.get(p.pid)?.startTicks !== p.startTicks)).toEqual([]);
    // A uid nothing runs as: an empty table, not an error.
    expect((await snapshotProcesses({ uid: 2_000_000_001, readProc: reader() })).size).toBe(0);
  });

  it('reads resident memory exactly (VmRSS) with exactRss', async () => {
    const pid = start('perl', ['-e', 'sleep 600']);
    const vmRss = () => Number(/^VmRSS:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
    await waitFor('perl to settle and the native read to agree with VmRSS', async () => {
      const table = await snapshotProcesses({ uid: process.getuid!(), exactRss: true, readProc: reader() });
      return table.get(pid)?.rssKb === vmRss();
    });
  });

  it('leaves out processes that exit while it reads, and no record is cut short', async () => {
    const forker = start('sh', ['-c', 'while :; do /bin/true; done']);
    for (let round = 0; round < 100; round += 1) {
      const table = await snapshotProcesses({ uid: process.getuid!(), readProc: reader() });
      expect(table.get(forker)?.state).toMatch(/^[RSD]$/);
      for (const info of table.processes) {
        expect(Number.isInteger(info.startTicks) && Number.isInteger(info.ppid) && Number.isInteger(info.sid)).toBe(true);
      }
    }
  });
});

import fs from 'node:fs';
import { Reaper, startProcess, startRetitledPerl } from '@usrsvc/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { pageSize } from './clockTicks.js';
import { packedProcEntries } from './packedProcEntries.js';
import { readProcess } from './readProcess.js';
import { snapshotProcesses } from './snapshotProcesses.js';
import type { PackedProcReader } from './types.js';

/** One record as PackedProcReader documents it. */
function record(pid: number, uid: number, stat: Buffer, cmdline: Buffer, statm = Buffer.alloc(0)): Buffer {
  const header = Buffer.alloc(20);
  for (const [i, value] of [pid, uid, stat.length, cmdline.length, statm.length].entries()) header.writeUInt32LE(value, i * 4);
  return Buffer.concat([header, stat, cmdline, statm]);
}

const fileOf = (pid: number, name: string) => fs.readFileSync(`/proc/${pid}/${name}`);
const liveRecord = (pid: number, withStatm: boolean) =>
  record(pid, fs.statSync(`/proc/${pid}`).uid, fileOf(pid, 'stat'), fileOf(pid, 'cmdline'), withStatm ? fileOf(pid, 'statm') : undefined);

describe('packedProcEntries', () => {
  const reaper = new Reaper();
  afterEach(() => reaper.killAll());

  it('reads records as readProcess reads the same files: owner as packed, exact memory from a packed statm', async () => {
    const perl = await startRetitledPerl(reaper, 'svc: worker (idle)', ['old']);
    const sleeper = startProcess(reaper, 'perl', ['-e', 'sleep 600', 'an arg with spaces', '']);
    const statm = fileOf(perl, 'statm');
    const packed = Buffer.concat([record(perl, 0, fileOf(perl, 'stat'), fileOf(perl, 'cmdline'), statm), liveRecord(sleeper, false)]);
    const [a, b] = [...packedProcEntries(packed)];
    const { state: _state, rssKb: _rss, uid: _uid, ...steady } = readProcess(perl)!;
    expect(a).toMatchObject({ ...steady, uid: 0 });
    expect(a?.rssKb).toBe((Number(statm.toString().split(' ')[1]) * pageSize()) / 1024);
    expect(a?.argv).toEqual(['svc: worker (idle)']);
    expect(b?.argv).toEqual(['perl', '-e', 'sleep 600', 'an arg with spaces', '']);
    expect(b?.startTicks).toBe(readProcess(sleeper)?.startTicks);
  });

  it('leaves out a malformed stat and reads on; refuses a record cut short', () => {
    const good = liveRecord(process.pid, false);
    const bad = record(7, 0, Buffer.from('not a stat line'), Buffer.from('x\0'));
    expect([...packedProcEntries(Buffer.concat([bad, good]))].map((p) => p.pid)).toEqual([process.pid]);
    expect([...packedProcEntries(Buffer.alloc(0))]).toEqual([]);
    expect(() => [...packedProcEntries(good.subarray(0, good.length - 1))]).toThrow(RangeError);
  });

  it('is what snapshotProcesses builds its table from when given a reader', async () => {
    const calls: [number | undefined, boolean][] = [];
    const readProc: PackedProcReader = async (uid, exactRss) => {
      calls.push([uid, exactRss]);
      return liveRecord(process.pid, exactRss);
    };
    const table = await snapshotProcesses({ uid: 12345, exactRss: true, readProc });
    expect(calls).toEqual([[12345, true]]);
    expect(table.size).toBe(1);
    expect(table.get(process.pid)?.argv).toEqual(readProcess(process.pid)?.argv);
  });
});

import fs from 'node:fs';
import os from 'node:os';
import { Reaper, startProcess, waitFor } from '@usrsvc/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clockTicksPerSecond, pageSize } from './clockTicks.js';
import { processIdentity } from './processIdentity.js';
import type { ProcessTable } from './ProcessTable.js';
import { psBackendLimitations } from './psFields.js';
import { snapshotProcesses } from './snapshotProcesses.js';
import type { ProcessInfo, SnapshotBackend } from './types.js';

// The same contract for every backend. For a field a backend declares it cannot provide exactly
// (psBackendLimitations), the test checks what it declares it gives instead.
const ARGV = ['perl', '-e', 'sleep 600', 'an arg with spaces', '', 'last'];
const TICK_MS = 1000 / clockTicksPerSecond();
// RSS is the sum of three per-CPU counters (file, anon and shmem pages), and each keeps up to
// max(32, 2 x CPUs) pages per CPU unsummed in the fast figure (percpu_counter); VmRSS sums them.
const CPUS = os.cpus().length;
const RSS_COUNTERS = 3;
const RSS_COUNTER_SLACK_KB = (RSS_COUNTERS * CPUS * Math.max(32, 2 * CPUS) * pageSize()) / 1024;

function vmRssKb(pid: number): number {
  return Number(/^VmRSS:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
}

/** Fields 3.. of this process's /proc stat line: [state, ppid, pgrp, session, ...]. */
function ownStat(): number[] {
  const stat = fs.readFileSync('/proc/self/stat', 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
}

describe.each<SnapshotBackend>(['proc', 'ps-list'])('the %s backend', (backend) => {
  const reaper = new Reaper();
  let perlPid: number;
  let zombieParentPid: number;
  let table: ProcessTable;
  let perl: ProcessInfo;
  let startedAfter: number;
  let startedBefore: number;

  const limitation = (field: keyof ProcessInfo) =>
    backend === 'proc' ? undefined : psBackendLimitations[field];
  const fieldIt = (field: keyof ProcessInfo, title: string, exact: () => void | Promise<void>) => {
    const reason = limitation(field);
    if (reason) it(`${field}: gives what it declares instead (${reason})`, declaredInstead[field]!);
    else it(title, exact);
  };
  // What the ps-list backend gives for each field in psBackendLimitations (kept in step by the
  // test below).
  const declaredInstead: Partial<Record<keyof ProcessInfo, () => void>> = {
    argv: () => expect(perl.argv).toEqual([ARGV.join(' ')]),
    name: () => expect(perl.name).toBe('perl'),
    state: () => expect(perl.state).toBe('?'),
    startTicks: () => expect(perl.startTicks).toBe(perl.startTime / 1000),
    startTime: () => expect(perl.startTime % 1000).toBe(0),
    rssKb: () => expect(perl.rssKb).toBeGreaterThanOrEqual(0),
    pgid: () => expect(perl.pgid).toBeUndefined(),
    sid: () => expect(perl.sid).toBeUndefined(),
  };

  if (backend === 'ps-list') {
    it('declares every field it cannot provide exactly, with a reason', () => {
      expect(Object.keys(psBackendLimitations).sort()).toEqual(Object.keys(declaredInstead).sort());
      for (const reason of Object.values(psBackendLimitations)) expect(reason.length).toBeGreaterThan(20);
    });
  }

  beforeAll(async () => {
    startedAfter = Date.now();
    perlPid = startProcess(reaper, ARGV[0]!, ARGV.slice(1));
    // sleep 1 becomes a zombie: its parent execs sleep 600, which never waits.
    zombieParentPid = startProcess(reaper, 'sh', ['-c', 'sleep 1 & exec sleep 600']);
    startedBefore = Date.now();
    // Asleep in `sleep 600`, its start-up done: its resident memory no longer grows under the RSS check.
    await waitFor('perl to sleep', () => fs.readFileSync(`/proc/${perlPid}/cmdline`, 'utf8').startsWith('perl\0') && fs.readFileSync(`/proc/${perlPid}/wchan`, 'utf8').includes('nanosleep'));
    table = await waitFor('a snapshot showing the zombie', async () => {
      const snapshot = await snapshotProcesses({ backend });
      return snapshot.children(zombieParentPid).some((child) => child.state === 'Z') && snapshot;
    });
    perl = table.get(perlPid)!;
  });
  afterAll(() => reaper.killAll());

  it('holds this test process and the child it started, with pid, ppid and uid', () => {
    expect(table.get(process.pid)?.uid).toBe(process.getuid?.());
    expect(perl).toBeDefined();
    expect(perl.pid).toBe(perlPid);
    expect(perl.ppid).toBe(process.pid);
    expect(perl.uid).toBe(process.getuid?.());
  });

  it('gives the cmdline as argv joined by single spaces', () => {
    expect(perl.cmdline).toBe(ARGV.join(' '));
    expect(perl.argv.join(' ')).toBe(perl.cmdline);
  });

  fieldIt('argv', 'gives argv exactly, spaces and empty arguments included', () => {
    expect(perl.argv).toEqual(ARGV);
  });

  fieldIt('name', 'gives the name (comm)', () => {
    expect(perl.name).toBe('perl');
  });

  fieldIt('state', 'gives the state', () => {
    expect(perl.state).toBe('S');
  });

  fieldIt('startTicks', 'gives the start ticks that processIdentity gives', () => {
    expect(perl.startTicks).toBe(processIdentity(perlPid)?.startTicks);
  });

  fieldIt('pgid', 'gives the process group, inherited from this test process', () => {
    expect(perl.pgid).toBe(ownStat()[2]);
  });

  fieldIt('sid', 'gives the session, inherited from this test process', () => {
    expect(perl.sid).toBe(ownStat()[3]);
  });

  fieldIt('startTime', 'gives the start time precise to the clock tick', () => {
    expect(perl.startTime).toBeGreaterThanOrEqual(startedAfter - TICK_MS - 20);
    expect(perl.startTime).toBeLessThanOrEqual(startedBefore + TICK_MS + 20);
  });

  it('gives a start time at least to the second', () => {
    expect(perl.startTime).toBeGreaterThanOrEqual(Math.floor(startedAfter / 1000) * 1000 - 1000);
    expect(perl.startTime).toBeLessThanOrEqual(startedBefore + 1000);
  });

  fieldIt('rssKb', 'gives resident memory in kB, within the kernel counter batching of VmRSS', () => {
    expect(Math.abs(perl.rssKb - vmRssKb(perlPid))).toBeLessThanOrEqual(RSS_COUNTER_SLACK_KB);
  });

  fieldIt('rssKb', 'gives resident memory exactly as VmRSS with exactRss', async () => {
    const exact = await snapshotProcesses({ backend, exactRss: true });
    expect(exact.get(perlPid)?.rssKb).toBe(vmRssKb(perlPid));
  });

  it('gives a number for rssKb', () => {
    expect(perl.rssKb).toBeGreaterThanOrEqual(0);
  });

  it('gives kernel threads an empty argv and cmdline', () => {
    const kthreadd = table.get(2);
    if (kthreadd === undefined) return; // no kernel threads visible (e.g. inside a PID namespace)
    expect(kthreadd.argv).toEqual([]);
    expect(kthreadd.cmdline).toBe('');
  });

  it('shows a zombie as state Z with an empty argv', () => {
    const zombie = table.children(zombieParentPid).find((child) => child.state === 'Z');
    expect(zombie?.argv).toEqual([]);
    expect(zombie?.cmdline).toBe('');
  });

  it('filters by uid', async () => {
    const mine = await snapshotProcesses({ backend, uid: process.getuid?.() ?? 0 });
    expect(mine.get(perlPid)).toBeDefined();
    expect(mine.processes.every((info) => info.uid === process.getuid?.())).toBe(true);
    const nobodys = await snapshotProcesses({ backend, uid: 65534 });
    expect(nobodys.get(perlPid)).toBeUndefined();
  });

  it('answers children, descendants and matches', () => {
    expect(table.children(process.pid).map((child) => child.pid)).toEqual(
      expect.arrayContaining([perlPid, zombieParentPid]),
    );
    expect(table.descendants(process.pid).map((info) => info.pid)).toContain(perlPid);
    expect(table.match(/an arg with spaces {2}last$/).map((info) => info.pid)).toEqual([perlPid]);
  });
});

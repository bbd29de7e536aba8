import { Reaper, startProcess, waitFor } from '@usrsvc/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { ProcessTable } from './ProcessTable.js';
import { snapshotProcessesSync } from './snapshotProcesses.js';
import type { ProcessInfo } from './types.js';

const info = (pid: number, ppid: number, argv: string[]): ProcessInfo => ({
  pid,
  ppid,
  uid: 1000,
  argv,
  cmdline: argv.join(' '),
  name: argv[0] ?? '',
  state: 'S',
  startTicks: pid,
  startTime: pid,
  rssKb: 0,
});

describe('ProcessTable over a given list', () => {
  const table = new ProcessTable([
    info(1, 0, ['init']),
    info(10, 1, ['sh', '-c', 'worker --id 7; echo done']),
    info(11, 10, ['worker', '--id', '7']),
    info(12, 11, ['worker-child']),
    info(20, 1, ['worker', '--id', '8']),
    info(13, 10, ['other']),
  ]);

  it('looks up by pid', () => {
    expect(table.get(11)?.argv).toEqual(['worker', '--id', '7']);
    expect(table.get(99)).toBeUndefined();
    expect(table.size).toBe(6);
  });

  it('lists children and breadth-first descendants', () => {
    expect(table.children(10).map((p) => p.pid)).toEqual([11, 13]);
    expect(table.descendants(1).map((p) => p.pid)).toEqual([10, 20, 11, 13, 12]);
    expect(table.descendants(12)).toEqual([]);
  });

  it('matches with search semantics, optionally skipping sh -c wrappers and within a subtree', () => {
    expect(table.match(/worker --id 7/).map((p) => p.pid)).toEqual([10, 11]);
    expect(table.match(/worker --id 7/, { skipShellWrappers: true }).map((p) => p.pid)).toEqual([11]);
    expect(table.match(/^worker/, { within: 10 }).map((p) => p.pid)).toEqual([11, 12]);
    expect(table.match(/^init$/, { within: 1 }).map((p) => p.pid)).toEqual([1]);
  });

  it('is not disturbed by global or sticky regexes', () => {
    const re = /worker/g;
    expect(table.match(re).length).toBe(4);
    expect(table.match(re).length).toBe(4);
  });

  it('does not let callers change its lists', () => {
    table.children(10).pop();
    expect(table.children(10)).toHaveLength(2);
  });
});

describe('ProcessTable over a real process tree', () => {
  const reaper = new Reaper();
  afterEach(() => reaper.killAll());

  it('finds a shell wrapper, its children and grandchildren', async () => {
    // sh -> (sleep 601, sh -> sleep 602); ": done" keeps the outer sh from exec'ing.
    const root = startProcess(reaper, 'sh', ['-c', 'sleep 601 & sh -c "sleep 602; :" & wait; : done']);
    const table = await waitFor('the tree to be complete, both sleeps exec\'d', () => {
      const snapshot = snapshotProcessesSync();
      const commands = snapshot.descendants(root).map((p) => p.cmdline);
      return commands.length === 3 && commands.includes('sleep 601') && commands.includes('sleep 602') && snapshot;
    });
    for (const descendant of table.descendants(root)) reaper.track(descendant.pid);
    const [first, second, third] = table.descendants(root);
    expect(new Set([first?.ppid, second?.ppid])).toEqual(new Set([root]));
    expect(third?.argv).toEqual(['sleep', '602']);
    expect(table.match(/sleep 602/, { within: root }).map((p) => p.argv[0])).toEqual(['sh', 'sh', 'sleep']);
    expect(table.match(/sleep 602/, { within: root, skipShellWrappers: true })).toEqual([third]);
  });
});

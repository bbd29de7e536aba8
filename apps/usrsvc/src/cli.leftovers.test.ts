import { isRunning, waitFor } from '@usrsvc/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { type CliTestHome, makeCliTestHome } from './test-support/cliTestHome.js';
import { pidsWithCmdline } from './test-support/procs.js';
import { uniqueSleep } from './test-support/testConfig.js';

describe('usrsvc stop / status: a program tree and its leftovers (built CLI, real processes)', () => {
  let t: CliTestHome;
  afterEach(() => t.cleanup());

  /** A shell wrapper (the main process) with one child, a unique sleep. */
  const wrapperHome = (settings: Record<string, string | boolean>) => {
    const child = uniqueSleep();
    t = makeCliTestHome((home) => ({
      Tree: { command: `/bin/sh ${home.write('bin/tree.sh', `${child} &\nwait\n`, 0o755)}`, ...settings },
    }));
    return child;
  };

  const startTree = async (child: string) => {
    const start = await t.usrsvc(['start', 'Tree']);
    expect(start.code, start.stderr).toBe(0);
    const [pid] = await waitFor('the child', () => pidsWithCmdline(child).length === 1 && pidsWithCmdline(child));
    t.reaper.track(pid);
    return pid!;
  };

  it('without stop_as_group, stop prints the child that outlives the main process, and status reports it (also in --json)', async () => {
    const child = wrapperHome({});
    const childPid = await startTree(child);

    const stop = await t.usrsvc(['stop', 'Tree']);
    expect(stop.code, stop.stderr).toBe(0);
    expect(stop.stdout).toContain('Tree terminated');
    expect(stop.stderr).toContain(`processes of its tree still running (1):\n    [${childPid}] ${child}\n`);
    expect(isRunning(childPid)).toBe(true);

    const status = await t.usrsvc(['status', 'Tree']);
    expect(status.code).toBe(1);
    expect(status.stderr).toContain('Tree is NOT running (stopped by user)');
    expect(status.stderr).toContain(`processes of its last run still running (1):\n    [${childPid}] ${child}\n`);

    const json = JSON.parse((await t.usrsvc(['status', 'Tree', '--json'])).stdout);
    expect(json).toMatchObject({ running: false, leftovers: [{ pid: childPid, cmdline: child }] });

    const again = await t.usrsvc(['stop', 'Tree', '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({ outcome: 'not-running', leftovers: [{ pid: childPid, cmdline: child }] });
  });

  it('with stop_as_group = True, stop ends the child too and reports no leftovers', async () => {
    const child = wrapperHome({ stop_as_group: true, stop_signal: 'TERM' });
    const childPid = await startTree(child);
    const stop = await t.usrsvc(['stop', 'Tree', '--json']);
    expect(stop.code, stop.stderr).toBe(0);
    expect(JSON.parse(stop.stdout)).toMatchObject({ outcome: 'terminated', leftovers: [] });
    expect(isRunning(childPid)).toBe(false);
    expect(JSON.parse((await t.usrsvc(['status', 'Tree', '--json'])).stdout).leftovers).toEqual([]);
  });
});

import fs from 'node:fs';
import { snapshotProcesses } from '@usrsvc/procscan';
import { describe, expect, it } from 'vitest';
import type { ActionResult } from './ActionResult.js';
import { LockTimeoutError } from './errors.js';
import { withProgramLock } from './programLock.js';
import { useHarness } from './test-support/harness.js';
import { programConfig, sleeper } from './test-support/programConfig.js';
import { outputOf, printed, spawnLauncherAction } from './test-support/runLauncherAction.js';

describe('withProgramLock', () => {
  const h = useHarness();

  it('serialises actions on one program within a process', async () => {
    const order: string[] = [];
    const one = withProgramLock('p', h.ctx, async () => {
      order.push('one-in');
      await new Promise((resolve) => setTimeout(resolve, 100));
      order.push('one-out');
    });
    const two = withProgramLock('p', h.ctx, async () => {
      order.push('two-in');
    });
    const other = withProgramLock('q', h.ctx, async () => {
      order.push('other');
    });
    await Promise.all([one, two, other]);
    expect(order.indexOf('two-in')).toBeGreaterThan(order.indexOf('one-out'));
    expect(order.indexOf('other')).toBeLessThan(order.indexOf('one-out'));
  });

  it('throws LockTimeoutError naming the holder when the lock stays busy', async () => {
    const program = programConfig(h.home, { name: 'busy', command: 'x' });
    const holder = spawnLauncherAction('hold-lock', program, h.home.env());
    h.reaper.track(holder.pid);
    await printed(holder, 'locked');
    const attempt = withProgramLock(program, { ...h.ctx, lockTimeoutMs: 300 }, async () => 'never');
    await expect(attempt).rejects.toBeInstanceOf(LockTimeoutError);
    await expect(attempt).rejects.toMatchObject({ program: 'busy', ownerPid: holder.pid });
  });

  it('takes over a lock whose holder was SIGKILLed', async () => {
    const program = programConfig(h.home, { name: 'orphaned-lock', command: 'x' });
    const holder = spawnLauncherAction('hold-lock', program, h.home.env());
    h.reaper.track(holder.pid);
    await printed(holder, 'locked');
    holder.kill('SIGKILL');
    await new Promise((resolve) => holder.on('close', resolve));
    // well under proper-lockfile's 10 s stale time: the dead owner's PID decides
    const result = await withProgramLock(program, { ...h.ctx, lockTimeoutMs: 3000 }, async () => 'mine');
    expect(result).toBe('mine');
    expect(h.logger.lines.some((line) => line.includes(`took over the lock of orphaned-lock from pid ${holder.pid}`))).toBe(true);
    expect(fs.readdirSync(h.home.path('.local', 'state', 'usrsvc', 'locks')).filter((f) => f.includes('dead'))).toEqual([]);
  });

  it('lets exactly one of ten concurrent processes start the program', async () => {
    const program = programConfig(h.home, { name: 'race', command: `${sleeper(h.home)} 340` });
    const children = Array.from({ length: 10 }, () => spawnLauncherAction('start', program, h.home.env()));
    for (const child of children) h.reaper.track(child.pid);
    const results = (await Promise.all(children.map(outputOf))).map((out) => JSON.parse(out) as ActionResult);
    for (const result of results) h.reaper.track(result.process?.pid);
    expect(results.filter((r) => r.outcome === 'started')).toHaveLength(1);
    expect(results.filter((r) => r.outcome === 'already-running')).toHaveLength(9);
    expect(new Set(results.map((r) => r.process?.pid)).size).toBe(1);
    const table = await snapshotProcesses({ uid: process.getuid!() });
    expect(table.match(program.proctitleRe).map((p) => p.pid)).toEqual([results[0]!.process!.pid]);
  });
});

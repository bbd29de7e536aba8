import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { nativeTryLockFile } from '@usrsvc/exitwatch';
import { processIdentity, snapshotProcesses } from '@usrsvc/procscan';
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

  it('is free at once when its holder was SIGKILLed: the kernel released it', async () => {
    const program = programConfig(h.home, { name: 'orphaned-lock', command: 'x' });
    const holder = spawnLauncherAction('hold-lock', program, h.home.env());
    h.reaper.track(holder.pid);
    await printed(holder, 'locked');
    await expect(withProgramLock(program, { ...h.ctx, lockTimeoutMs: 0 }, async () => 'mine')).rejects.toBeInstanceOf(LockTimeoutError);
    holder.kill('SIGKILL');
    await new Promise((resolve) => holder.on('close', resolve));
    // one attempt, no waiting: nothing is left to go stale
    expect(await withProgramLock(program, { ...h.ctx, lockTimeoutMs: 0 }, async () => 'mine')).toBe('mine');
    expect(fs.readdirSync(h.home.path('.local', 'state', 'usrsvc', 'locks'))).toEqual(['orphaned-lock.lock']);
  });

  it('is one kernel lock whether taken through the addon or flock(1)', async () => {
    const program = programConfig(h.home, { name: 'mixed', command: 'x' });
    const native = { ...h.ctx, tryLockFile: nativeTryLockFile(), lockTimeoutMs: 0 };
    expect(native.tryLockFile).toBeDefined();
    const holder = spawnLauncherAction('hold-lock', program, h.home.env());
    h.reaper.track(holder.pid);
    await printed(holder, 'locked');
    await expect(withProgramLock(program, native, async () => 'in')).rejects.toMatchObject({ ownerPid: holder.pid });
    holder.kill('SIGKILL');
    await new Promise((resolve) => holder.on('close', resolve));

    const file = path.join(h.home.path('.local', 'state', 'usrsvc', 'locks'), 'mixed.lock');
    await withProgramLock(program, native, async () => {
      expect(spawnSync('flock', ['--nonblock', file, 'true']).status).toBe(1);
      await expect(withProgramLock(program, { ...h.ctx, lockTimeoutMs: 0 }, async () => 'x')).rejects.toBeInstanceOf(LockTimeoutError);
    });
    expect(spawnSync('flock', ['--nonblock', file, 'true']).status).toBe(0);
  });

  it('replaces the lock folder an earlier usrsvc left behind, unless its owner lives', async () => {
    const locks = h.home.path('.local', 'state', 'usrsvc', 'locks');
    fs.mkdirSync(path.join(locks, 'legacy.lock'), { recursive: true, mode: 0o700 });
    const self = processIdentity(process.pid)!;
    fs.writeFileSync(path.join(locks, 'legacy.lock', 'owner'), `${self.pid} ${self.startTicks}\n`);
    await expect(withProgramLock('legacy', { ...h.ctx, lockTimeoutMs: 0 }, async () => 'in')).rejects.toBeInstanceOf(LockTimeoutError);
    fs.writeFileSync(path.join(locks, 'legacy.lock', 'owner'), '999999999 1\n');
    expect(await withProgramLock('legacy', { ...h.ctx, lockTimeoutMs: 0 }, async () => 'in')).toBe('in');
    expect(fs.statSync(path.join(locks, 'legacy.lock')).isFile()).toBe(true);
    expect(h.logger.lines.some((line) => line.includes('removed the lock folder of legacy left by an earlier usrsvc'))).toBe(true);
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

import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { restartProgram } from './restartProgram.js';
import { startProgram } from './startProgram.js';
import { stopProgram } from './stopProgram.js';
import { useHarness } from './test-support/harness.js';
import { programConfig, sleeper } from './test-support/programConfig.js';
import { clearStoppedByUser, isStoppedByUser, markStoppedByUser, userStoppedAt } from './userStopMark.js';

describe('the user-stop mark', () => {
  const h = useHarness();

  it('is set, read and cleared', () => {
    expect(isStoppedByUser('web', h.ctx)).toBe(false);
    markStoppedByUser('web', h.ctx);
    expect(isStoppedByUser('web', h.ctx)).toBe(true);
    expect(isStoppedByUser('other', h.ctx)).toBe(false);
    clearStoppedByUser('web', h.ctx);
    expect(isStoppedByUser('web', h.ctx)).toBe(false);
  });

  it('tells when the user stopped the program: the time written in the mark, else its mtime', () => {
    const before = Date.now();
    markStoppedByUser('web', h.ctx);
    const at = userStoppedAt('web', h.ctx)!;
    expect(at).toBeGreaterThanOrEqual(before - 1);
    expect(at).toBeLessThanOrEqual(Date.now());
    const file = h.home.path('.local', 'state', 'usrsvc', 'stopped', 'web');
    const mark = JSON.parse(fs.readFileSync(file, 'utf8'));
    fs.writeFileSync(file, JSON.stringify({ ...mark, stoppedAt: '2026-01-02T03:04:05.000Z' }));
    expect(userStoppedAt('web', h.ctx)).toBe(Date.parse('2026-01-02T03:04:05.000Z'));
    const { stoppedAt: _, ...withoutTime } = mark;
    fs.writeFileSync(file, JSON.stringify(withoutTime));
    const mtime = new Date('2026-03-04T05:06:07.000Z');
    fs.utimesSync(file, mtime, mtime);
    expect(userStoppedAt('web', h.ctx)).toBe(mtime.getTime());
    clearStoppedByUser('web', h.ctx);
    expect(userStoppedAt('web', h.ctx)).toBeUndefined();
  });

  it('does not outlive a reboot (another boot id)', () => {
    markStoppedByUser('web', h.ctx);
    const file = h.home.path('.local', 'state', 'usrsvc', 'stopped', 'web');
    const mark = JSON.parse(fs.readFileSync(file, 'utf8'));
    fs.writeFileSync(file, JSON.stringify({ ...mark, bootId: 'an-earlier-boot' }));
    expect(isStoppedByUser('web', h.ctx)).toBe(false);
  });

  it('keeps names with slashes and dots inside the state folder', () => {
    markStoppedByUser('../a/b', h.ctx);
    expect(isStoppedByUser('../a/b', h.ctx)).toBe(true);
    expect(fs.readdirSync(h.home.path('.local', 'state', 'usrsvc', 'stopped'))).toEqual(['%2E.%2Fa%2Fb']);
  });

  it('is set by a stop by the user, honoured by the daemon, cleared by a start by the user', async () => {
    const program = programConfig(h.home, { name: 'marked', command: `${sleeper(h.home)} 350` });
    expect((await startProgram(program, h.ctx, h.track)).outcome).toBe('started');

    await stopProgram(program, h.ctx); // the daemon's stop: no mark
    expect(isStoppedByUser('marked', h.ctx)).toBe(false);
    expect((await startProgram(program, h.ctx, { ...h.track, unlessStoppedByUser: true })).outcome).toBe('started');

    expect((await stopProgram(program, h.ctx, { byUser: true })).outcome).toBe('terminated');
    expect(isStoppedByUser('marked', h.ctx)).toBe(true);
    const daemonStart = await startProgram(program, h.ctx, { ...h.track, unlessStoppedByUser: true });
    expect(daemonStart).toMatchObject({ outcome: 'stopped-by-user', code: 0 });
    expect((await restartProgram(program, h.ctx, { ...h.track, unlessStoppedByUser: true })).outcome).toBe('stopped-by-user');
    expect(fs.existsSync(program.pidfile)).toBe(false);

    expect((await startProgram(program, h.ctx, { ...h.track, byUser: true })).outcome).toBe('started');
    expect(isStoppedByUser('marked', h.ctx)).toBe(false);
  });

  it('is cleared by a restart by the user', async () => {
    const program = programConfig(h.home, { name: 'remarked', command: `${sleeper(h.home)} 351` });
    await stopProgram(program, h.ctx, { byUser: true });
    expect(isStoppedByUser('remarked', h.ctx)).toBe(true);
    expect((await restartProgram(program, h.ctx, { ...h.track, byUser: true })).outcome).toBe('started');
    expect(isStoppedByUser('remarked', h.ctx)).toBe(false);
  });
});

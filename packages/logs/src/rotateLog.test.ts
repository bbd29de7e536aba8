import fs from 'node:fs';
import { makeTempHome, Reaper, type TempHome, waitFor } from '@usrsvc/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rotateLog } from './rotateLog.js';
import { collectNumbers, missingRanges } from './test-support/collectNumbers.js';
import { startWriter } from './test-support/writerProcess.js';

const ROTATIONS = 20;
const ROTATE_AT = 64 * 1024;

let home: TempHome;
let reaper: Reaper;
beforeEach(() => {
  home = makeTempHome();
  reaper = new Reaper();
});
afterEach(() => {
  reaper.killAll();
  home.remove();
});

/** Waits for the file to pass ROTATE_AT bytes, then rotates; ROTATIONS times. */
async function rotateRepeatedly(file: string, rotate: () => ReturnType<typeof rotateLog>) {
  const results = [];
  for (let i = 0; i < ROTATIONS; i += 1) {
    await waitFor('the log to grow', () => (fs.statSync(file, { throwIfNoEntry: false })?.size ?? 0) >= ROTATE_AT);
    results.push(await rotate());
  }
  return results;
}

describe('rotateLog with a real writer writing numbered lines as fast as it can', () => {
  it('launcher-opened (O_APPEND) file: copy-truncate; no line twice, no NUL, losses only at the truncations', async () => {
    const file = home.path('app.log');
    const writer = await startWriter(reaper, file, { mode: 'stdout' });
    const results = await rotateRepeatedly(file, () => rotateLog(file, { backups: ROTATIONS + 1 }));
    const last = await writer.stop();

    expect(results.every((r) => r.method === 'copy-truncate')).toBe(true);
    expect(results[0]!.writers).toEqual([expect.objectContaining({ pid: writer.pid, fd: 1, append: true })]);
    const { seen, malformed, torn, nulBytes } = collectNumbers(file);
    expect(nulBytes).toBe(0);
    expect(malformed).toEqual([]);
    // A copy may catch a write half done at the end of a backup (the rest fell in the loss window).
    expect(torn.length).toBeLessThanOrEqual(ROTATIONS);
    for (const piece of torn) expect(piece).toMatch(/^l(i(n(e( \d*)?)?)?)?$/);
    expect([...seen.values()].every((count) => count === 1)).toBe(true);
    // Whatever was lost was lost at a truncation: at most one run of missing numbers per rotation.
    const missing = missingRanges(seen, last);
    expect(missing.length).toBeLessThanOrEqual(ROTATIONS);
    const lost = missing.reduce((sum, [from, to]) => sum + to - from + 1, 0);
    const windowsUs = results.map((r) => (r.lossWindowNs ?? 0) / 1000).sort((a, b) => a - b);
    console.log(
      `copy-truncate: ${last} lines, ${ROTATIONS} rotations, ${lost} lost in ${missing.length} gaps, ${torn.length} torn; loss window median ${windowsUs[ROTATIONS >> 1]!.toFixed(1)} µs, max ${windowsUs.at(-1)!.toFixed(1)} µs`,
    );
  });

  it('program-opened file with a reopen signal: rename then signal; every number exactly once', async () => {
    const file = home.path('own.log');
    const writer = await startWriter(reaper, file, { mode: 'own', reopenSignal: 'HUP' });
    const results = await rotateRepeatedly(file, () =>
      rotateLog(file, {
        backups: ROTATIONS + 1,
        compress: true,
        reopen: (writers) => {
          for (const pid of new Set(writers.map((w) => w.pid))) process.kill(pid, 'SIGHUP');
        },
      }),
    );
    const last = await writer.stop();

    expect(results.every((r) => r.method === 'rename-and-signal')).toBe(true);
    expect(results.every((r) => r.backup?.endsWith('.1.gz'))).toBe(true);
    expect(results[0]!.writers).toEqual([expect.objectContaining({ pid: writer.pid, append: false })]);
    const { seen, malformed, torn, nulBytes } = collectNumbers(file);
    expect(nulBytes).toBe(0);
    expect(malformed).toEqual([]);
    expect(torn).toEqual([]);
    expect(missingRanges(seen, last)).toEqual([]);
    expect([...seen.values()].every((count) => count === 1)).toBe(true);
    expect(seen.size).toBe(last);
  });

  it('program-opened file without O_APPEND and no reopen signal: refused, the file is left alone', async () => {
    const file = home.path('stubborn.log');
    const writer = await startWriter(reaper, file, { mode: 'own' });
    await waitFor('the log to grow', () => (fs.statSync(file, { throwIfNoEntry: false })?.size ?? 0) >= ROTATE_AT);
    const result = await rotateLog(file, { backups: 5 });
    expect(result.method).toBe('refuse');
    expect(result.writers).toEqual([expect.objectContaining({ pid: writer.pid, append: false })]);
    expect(fs.existsSync(`${file}.1`)).toBe(false);
    const last = await writer.stop();
    const { seen, nulBytes } = collectNumbers(file);
    expect(nulBytes).toBe(0);
    expect(seen.size).toBe(last);
  });

  it('a file nobody has open: renamed, with numbered and compressed backups shifted', async () => {
    const file = home.write('idle.log', 'first\n');
    expect((await rotateLog(file, { backups: 2, compress: true })).backup).toBe(`${file}.1.gz`);
    fs.writeFileSync(file, 'second\n');
    expect((await rotateLog(file, { backups: 2, compress: true })).method).toBe('rename');
    fs.writeFileSync(file, 'third\n');
    await rotateLog(file, { backups: 2, compress: true });
    expect(fs.existsSync(file)).toBe(false);
    expect(fs.readdirSync(home.dir).sort()).toEqual(['idle.log.1.gz', 'idle.log.2.gz']);
  });
});

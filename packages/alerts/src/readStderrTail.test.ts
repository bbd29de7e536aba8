import fs from 'node:fs';
import { makeTempHome, type TempHome } from '@usrsvc/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readStderrTail } from './readStderrTail.js';

describe('readStderrTail', () => {
  let home: TempHome;
  beforeEach(() => {
    home = makeTempHome('usrsvc-alerts-');
  });
  afterEach(() => home.remove());

  it('returns the last lines of a small file', async () => {
    const file = home.write('err.log', 'one\ntwo\nthree\n');
    expect(await readStderrTail(file, { maxLines: 2 })).toEqual({ file, lines: ['two', 'three'], truncated: true });
    expect(await readStderrTail(file)).toEqual({ file, lines: ['one', 'two', 'three'], truncated: false });
  });

  it('reads only maxBytes from the end of a big file and drops the partial first line', async () => {
    const file = home.path('big.log');
    const lines = Array.from({ length: 200_000 }, (_, i) => `line ${i} ${'x'.repeat(40)}`);
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
    const tail = await readStderrTail(file, { maxLines: 20, maxBytes: 1024 });
    expect(tail.truncated).toBe(true);
    expect(tail.lines.length).toBeLessThanOrEqual(20);
    expect(tail.lines.length).toBeGreaterThan(10);
    expect(tail.lines.at(-1)).toBe(lines.at(-1));
    for (const line of tail.lines) expect(lines).toContain(line);
  });

  it('an empty file gives no lines; a missing one gives the error, never a throw', async () => {
    const empty = home.write('empty.log', '');
    expect(await readStderrTail(empty)).toEqual({ file: empty, lines: [], truncated: false });
    const missing = await readStderrTail(home.path('missing.log'));
    expect(missing.lines).toEqual([]);
    expect(missing.error).toMatch(/ENOENT/);
  });

  it("with `from`, quotes only what was written after that offset (this launch's lines)", async () => {
    const earlier = 'attempt 1: bind failed\n'.repeat(8);
    const file = home.write('nginx.err', `${earlier}attempt 2: bind failed\n`);
    expect(await readStderrTail(file, { from: earlier.length })).toEqual({ file, lines: ['attempt 2: bind failed'], truncated: false });
    // A file smaller than the offset was rotated meanwhile: read from its start.
    expect((await readStderrTail(file, { from: 1e9 })).lines).toHaveLength(9);
  });
});

import fs from 'node:fs';
import { makeTempHome, type TempHome } from '@usrsvc/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LogFileError } from './LogFileError.js';
import { readTail } from './readTail.js';

let home: TempHome;
beforeEach(() => {
  home = makeTempHome();
});
afterEach(() => home.remove());

const numbered = (count: number) => Array.from({ length: count }, (_, i) => `line ${i + 1}`);

describe('readTail', () => {
  it('gives the last N whole lines and where following continues', async () => {
    const file = home.write('a.log', `${numbered(100).join('\n')}\n`);
    const tail = await readTail(file, { lines: 3 });
    expect(tail).toMatchObject({ lines: ['line 98', 'line 99', 'line 100'], partial: '', position: fs.statSync(file).size, truncated: true });
  });

  it('reads backwards across chunk boundaries, and a short file whole', async () => {
    const file = home.write('b.log', `${numbered(5000).join('\n')}\n`);
    expect((await readTail(file, { lines: 1200, chunkBytes: 100 })).lines).toEqual(numbered(5000).slice(-1200));
    const short = home.write('c.log', 'one\r\ntwo\n');
    expect(await readTail(short, { lines: 20 })).toMatchObject({ lines: ['one', 'two'], truncated: false });
  });

  it('keeps an unfinished last line apart, and starts following before it', async () => {
    const file = home.write('d.log', 'one\ntwo\nthr');
    expect(await readTail(file, { lines: 5 })).toMatchObject({ lines: ['one', 'two'], partial: 'thr', position: 8 });
  });

  it('reads nothing before `from`, unless the file is now smaller (rotated)', async () => {
    const file = home.write('e.log', 'old 1\nold 2\nnew 1\n');
    expect((await readTail(file, { from: 12 })).lines).toEqual(['new 1']);
    expect((await readTail(file, { from: 1000 })).lines).toEqual(['old 1', 'old 2', 'new 1']);
  });

  it('an empty file has no lines; a missing or unreadable one throws a LogFileError naming the path', async () => {
    expect((await readTail(home.write('empty.log', ''))).lines).toEqual([]);
    const missing = home.path('missing.log');
    const error = await readTail(missing).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LogFileError);
    expect(error).toMatchObject({ code: 'ENOENT', file: missing });
    expect((error as Error).message).toContain(missing);
    await expect(readTail(home.dir)).rejects.toMatchObject({ code: 'EISDIR' });
  });
});

import fs from 'node:fs';
import { makeTempHome, type TempHome } from '@usrsvc/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { replaceFileAtomic, writeFileAtomic, writeFileAtomicSync } from './writeFileAtomic.js';

let home: TempHome;
beforeEach(() => {
  home = makeTempHome('usrsvc-atomicfile-');
});
afterEach(() => home.remove());

describe('writeFileAtomic', () => {
  it('replaces the file with the mode asked for and leaves nothing else in the folder', async () => {
    const file = home.write('dir/state.json', 'old\n');
    writeFileAtomicSync(file, 'new\n', { mode: 0o600 });
    expect(fs.readFileSync(file, 'utf8')).toBe('new\n');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    await writeFileAtomic(file, 'newer\n');
    expect(fs.readFileSync(file, 'utf8')).toBe('newer\n');
    expect(fs.readdirSync(home.path('dir'))).toEqual(['state.json']);
  });

  it('keeps the old content and removes its temporary file when the rename fails', async () => {
    const dir = home.path('dir');
    home.write('dir/target/inside', '');
    // renaming a file over a non-empty folder fails (EISDIR)
    expect(() => writeFileAtomicSync(`${dir}/target`, 'x')).toThrow();
    await expect(writeFileAtomic(`${dir}/target`, 'x')).rejects.toThrow();
    expect(fs.readdirSync(dir)).toEqual(['target']);
  });

  it('removes the temporary file when the writer fails', async () => {
    const file = home.write('dir/data.gz', 'old');
    await expect(
      replaceFileAtomic(file, async (temporary) => {
        fs.writeFileSync(temporary, 'half');
        throw new Error('stream broke');
      }),
    ).rejects.toThrow('stream broke');
    expect(fs.readFileSync(file, 'utf8')).toBe('old');
    expect(fs.readdirSync(home.path('dir'))).toEqual(['data.gz']);
  });
});

describe('replaceFileAtomic at once on one file', () => {
  it('gives each write of this process its own temporary file', async () => {
    const file = home.path('dir', 'x');
    fs.mkdirSync(home.path('dir'));
    const seen: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const first = replaceFileAtomic(file, async (temporary) => {
      seen.push(temporary);
      fs.writeFileSync(temporary, 'first');
      await gate;
    });
    const second = replaceFileAtomic(file, async (temporary) => {
      seen.push(temporary);
      fs.writeFileSync(temporary, 'second');
    });
    await second;
    release();
    await first;
    expect(new Set(seen).size).toBe(2);
    expect(fs.readFileSync(file, 'utf8')).toBe('first');
    expect(fs.readdirSync(home.path('dir'))).toEqual(['x']);
  });
});

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { makeTempHome, type TempHome } from '@usrsvc/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nativeTryLockFile } from './fileLock.js';
import { built } from './test-support/built.js';

let home: TempHome;
beforeEach(() => {
  home = makeTempHome('usrsvc-file-lock-');
});
afterEach(() => home.remove());

const tryLock = () => built(nativeTryLockFile());

describe('nativeTryLockFile', () => {
  it('takes flock(2) for one open file description at a time, released when it closes', () => {
    const file = home.path('p.lock');
    const first = fs.openSync(file, 'w');
    const second = fs.openSync(file, 'r');
    expect(tryLock()(first)).toBe(true);
    expect(tryLock()(first)).toBe(true);
    expect(tryLock()(second)).toBe(false);
    // flock(1) sees the same kernel lock
    expect(spawnSync('flock', ['-n', file, 'true']).status).toBe(1);
    fs.closeSync(first);
    expect(tryLock()(second)).toBe(true);
    fs.closeSync(second);
    expect(spawnSync('flock', ['-n', file, 'true']).status).toBe(0);
  });

  it('throws with the errno for a descriptor that is not open', () => {
    const fd = fs.openSync(home.path('gone.lock'), 'w');
    fs.closeSync(fd);
    expect(() => tryLock()(fd)).toThrow(expect.objectContaining({ code: 'EBADF', syscall: 'flock' }));
  });
});

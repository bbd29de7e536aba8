import fs from 'node:fs';
import { makeTempHome } from '@usrsvc/testkit';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { UnsafeStateDirError } from './errors.js';
import { readPidfile, removePidfile, writePidfile } from './pidfile.js';
import { defaultStateDir, ensureStateDir } from './stateDir.js';

describe('state folder', () => {
  const home = makeTempHome('usrsvc-launcher-test-');
  afterEach(() => fs.rmSync(home.path('s'), { recursive: true, force: true }));
  afterAll(() => home.remove());

  it('is $XDG_RUNTIME_DIR/usrsvc, else $HOME/.local/state/usrsvc', () => {
    expect(defaultStateDir({ XDG_RUNTIME_DIR: '/run/user/1000', HOME: '/home/a' })).toBe('/run/user/1000/usrsvc');
    expect(defaultStateDir({ HOME: '/home/a' })).toBe('/home/a/.local/state/usrsvc');
    expect(() => defaultStateDir({})).toThrow(UnsafeStateDirError);
  });

  it('is created with mode 0700, and tightened when too open', () => {
    const dir = home.path('s', 'fresh');
    expect(ensureStateDir(dir, process.getuid!(), 'locks')).toBe(`${dir}/locks`);
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    const open = home.path('s', 'open');
    fs.mkdirSync(open, { recursive: true, mode: 0o755 });
    fs.chmodSync(open, 0o755);
    ensureStateDir(open, process.getuid!());
    expect(fs.statSync(open).mode & 0o777).toBe(0o700);
  });

  it('is refused when it is a symlink or someone else\'s', () => {
    fs.mkdirSync(home.path('s', 'target'), { recursive: true });
    fs.symlinkSync(home.path('s', 'target'), home.path('s', 'link'));
    expect(() => ensureStateDir(home.path('s', 'link'), process.getuid!())).toThrow(/not a folder/);
    expect(() => ensureStateDir(home.path('s', 'target'), process.getuid!() + 1)).toThrow(/owned by uid/);
  });
});

describe('pidfile', () => {
  const home = makeTempHome('usrsvc-launcher-test-');
  afterAll(() => home.remove());

  it('is written atomically, read, and removed', () => {
    const file = home.path('run', 'x.pid');
    writePidfile(file, 1234);
    expect(fs.readFileSync(file, 'utf8')).toBe('1234\n');
    expect(readPidfile(file)).toBe(1234);
    expect(fs.readdirSync(home.path('run'))).toEqual(['x.pid']);
    fs.writeFileSync(file, 'garbage');
    expect(readPidfile(file)).toBeUndefined();
    expect(removePidfile(file)).toBe(true);
    expect(removePidfile(file)).toBe(false);
  });
});

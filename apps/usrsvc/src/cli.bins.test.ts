import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { makeTempHome, type TempHome } from '@usrsvc/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN } from './test-support/runCli.js';

const USRSVCD_BIN = fileURLToPath(new URL('../dist/usrsvcd.cjs', import.meta.url));

describe('the package bins', () => {
  let home: TempHome;
  afterEach(() => home.remove());

  it('usrsvc runs through a symlink, as npm installs bins', () => {
    home = makeTempHome('usrsvc-bin-test-');
    const link = home.path('bin', 'usrsvc');
    fs.mkdirSync(home.path('bin'));
    fs.symlinkSync(BIN, link);
    const run = spawnSync(link, ['--version'], { env: home.env(), encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(138);
    expect(run.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('usrsvcd runs the daemon CLI of @usrsvc/usrsvcd', () => {
    home = makeTempHome('usrsvc-bin-test-');
    const run = spawnSync(process.execPath, [USRSVCD_BIN, '--help'], { env: home.env(), encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(138);
    expect(run.stdout + run.stderr).toContain('usrsvcd');
  });
});

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeTempHome, type TempHome } from '@usrsvc/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const here = path.dirname(fileURLToPath(import.meta.url));
const installer = path.join(here, 'install.sh');

let home: TempHome;
let usrsvcd: string;
let usrsvcWeb: string;

beforeEach(() => {
  home = makeTempHome('usrsvc-systemd-');
  // Stands in for an installed usrsvcd: systemd-analyze checks that ExecStart is executable.
  usrsvcd = home.write('bin/usrsvcd', '#!/bin/sh\nexit 0\n', 0o755);
  usrsvcWeb = home.write('bin/usrsvc-web', '#!/bin/sh\nexit 0\n', 0o755);
});
afterEach(() => home.remove());

function install(env: NodeJS.ProcessEnv) {
  return spawnSync('sh', [installer], { env: { ...process.env, DESTDIR: home.path('root'), ...env }, encoding: 'utf8' });
}

describe('install.sh', () => {
  it('stages the system template unit and the user unit with the installed usrsvcd path', () => {
    const result = install({ USRSVCD: usrsvcd });
    expect(result.status, result.stderr).toBe(0);
    for (const unit of ['etc/systemd/system/usrsvcd@.service', 'etc/systemd/user/usrsvcd.service']) {
      const file = home.path('root', unit);
      const text = fs.readFileSync(file, 'utf8');
      expect(text).toContain(`ExecStart=${usrsvcd} --foreground`);
      expect(text).not.toContain('@USRSVCD@');
      expect(text).toMatch(/^KillMode=process$/m);
      expect(fs.statSync(file).mode & 0o777).toBe(0o644);
    }
  });

  it('stages the usrsvc-web user unit, found beside usrsvcd, with KillMode=process and no dependency on usrsvcd', () => {
    const result = install({ USRSVCD: usrsvcd });
    expect(result.status, result.stderr).toBe(0);
    const file = home.path('root/etc/systemd/user/usrsvc-web.service');
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toMatch(new RegExp(`^ExecStart=${usrsvcWeb}$`, 'm'));
    expect(text).not.toContain('@USRSVC_WEB@');
    expect(text).toMatch(/^KillMode=process$/m);
    expect(text).toMatch(/^After=usrsvcd\.service$/m);
    expect(text).not.toMatch(/^(Requires|BindsTo)=/m);
    expect(fs.statSync(file).mode & 0o777).toBe(0o644);
  });

  it('takes USRSVC_WEB when given, and skips the dashboard unit when there is no usrsvc-web', () => {
    const other = home.write('opt/usrsvc-web', '#!/bin/sh\nexit 0\n', 0o755);
    expect(install({ USRSVCD: usrsvcd, USRSVC_WEB: other }).status).toBe(0);
    expect(fs.readFileSync(home.path('root/etc/systemd/user/usrsvc-web.service'), 'utf8')).toContain(`ExecStart=${other}\n`);
    fs.rmSync(home.path('root'), { recursive: true });
    fs.rmSync(usrsvcWeb);
    const skipped = install({ USRSVCD: usrsvcd, PATH: '/usr/bin:/bin' });
    expect(skipped.status, skipped.stderr).toBe(0);
    expect(skipped.stderr).toContain('skipping usrsvc-web.service');
    expect(fs.existsSync(home.path('root/etc/systemd/user/usrsvc-web.service'))).toBe(false);
    expect(fs.existsSync(home.path('root/etc/systemd/user/usrsvcd.service'))).toBe(true);
  });

  it('finds usrsvcd on PATH when USRSVCD is not set', () => {
    const result = install({ PATH: `${path.dirname(usrsvcd)}:/usr/bin:/bin` });
    expect(result.status, result.stderr).toBe(0);
    expect(fs.readFileSync(home.path('root/etc/systemd/user/usrsvcd.service'), 'utf8')).toContain(`ExecStart=${usrsvcd} --foreground`);
  });

  it('refuses to install without an absolute usrsvcd path', () => {
    const missing = install({ PATH: '/usr/bin:/bin', USRSVCD: '' });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('usrsvcd is not on PATH');
    const relative = install({ USRSVCD: 'bin/usrsvcd' });
    expect(relative.status).toBe(1);
    expect(relative.stderr).toContain('must be an absolute path');
  });
});

// systemd-analyze comes with systemd (scripts/install-system-packages.sh): missing, these fail.
describe('systemd-analyze verify', () => {
  // verify exits 0 even for unknown keys, so the test reads what it parsed (debug dump) and
  // requires that nothing was reported against our files.
  function verify(unitFile: string, user: boolean) {
    const runtimeDir = home.path('runtime');
    fs.mkdirSync(runtimeDir, { recursive: true, mode: 0o700 });
    const args = ['verify', ...(user ? ['--user'] : []), unitFile];
    return spawnSync('systemd-analyze', args, {
      env: { ...process.env, SYSTEMD_LOG_LEVEL: 'debug', XDG_RUNTIME_DIR: runtimeDir },
      encoding: 'utf8',
    });
  }

  function expectCleanUnit(result: ReturnType<typeof verify>, unitFile: string, commandLine = `${usrsvcd} --foreground`) {
    expect(result.status, result.stderr).toBe(0);
    const output = result.stdout + result.stderr;
    const complaints = output.split('\n').filter((line) => line.startsWith(`${unitFile}:`));
    expect(complaints).toEqual([]);
    expect(output).toContain('KillMode: process');
    expect(output).toContain(`Command Line: ${commandLine}`);
    expect(output).toContain('Type: simple');
  }

  it('accepts an instance of the system template unit, with KillMode=process', () => {
    expect(install({ USRSVCD: usrsvcd }).status).toBe(0);
    const dir = home.path('root/etc/systemd/system');
    const instance = path.join(dir, 'usrsvcd@web.service');
    fs.copyFileSync(path.join(dir, 'usrsvcd@.service'), instance);
    const result = verify(instance, false);
    expectCleanUnit(result, instance);
    expect(result.stdout + result.stderr).toContain('User: web');
  });

  it('accepts the user unit, with KillMode=process', () => {
    expect(install({ USRSVCD: usrsvcd }).status).toBe(0);
    const unit = home.path('root/etc/systemd/user/usrsvcd.service');
    expectCleanUnit(verify(unit, true), unit);
  });

  it('accepts the usrsvc-web user unit, with KillMode=process', () => {
    expect(install({ USRSVCD: usrsvcd }).status).toBe(0);
    const unit = home.path('root/etc/systemd/user/usrsvc-web.service');
    expectCleanUnit(verify(unit, true), unit, usrsvcWeb);
  });
});

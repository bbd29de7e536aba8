import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isInitOrSubreaper, isRunning, makeTempHome, procStat, Reaper, readPidfile, type TempHome, freePort, waitFor } from '@usrsvc/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

// What a new user does: `npm install -g usrsvc` (here: the packed tarball, into a temporary
// prefix), then runs the installed `usrsvc`, `usrsvcd` and `usrsvc-web` commands against their own HOME.
const packageDir = fileURLToPath(new URL('..', import.meta.url));
let work: TempHome;
let tarball: string;

beforeAll(() => {
  work = makeTempHome('usrsvc-global-');
  const packed = spawnSync('pnpm', ['pack', '--pack-destination', work.dir], { cwd: packageDir, encoding: 'utf8' });
  expect(packed.status, packed.stderr).toBe(0);
  tarball = path.join(work.dir, fs.readdirSync(work.dir).find((file) => file.endsWith('.tgz'))!);
});
afterAll(() => work.remove());

function installGlobally(prefix: string, env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync('npm', ['install', '--global', '--prefix', prefix, tarball, '--no-audit', '--no-fund'], {
    encoding: 'utf8',
    env: { ...process.env, npm_config_update_notifier: 'false', ...env },
  });
  expect(result.status, result.stderr).toBe(0);
  return {
    usrsvc: path.join(prefix, 'bin', 'usrsvc'),
    usrsvcd: path.join(prefix, 'bin', 'usrsvcd'),
    usrsvcWeb: path.join(prefix, 'bin', 'usrsvc-web'),
  };
}

const reaper = new Reaper();
let home: TempHome;
afterEach(() => {
  reaper.trackPidfile(home.path('usrsvcd.pid'));
  reaper.trackPidfile(home.path('pids/sleeper.pid'));
  reaper.killAll();
  home.remove();
});

function writeConfig(): string {
  home = makeTempHome();
  const tag = String(40_000 + (process.pid % 20_000));
  home.write(
    'usrsvc.cfg',
    `[Main]
pidfile = ${home.path('usrsvcd.pid')}
usrsvcd_stdout = ${home.path('logs/usrsvcd.log')}

[Program:sleeper]
command = sleep ${tag}
pidfile = ${home.path('pids/sleeper.pid')}
stdout = ${home.path('logs/sleeper.log')}
success_seconds = 0.5
`,
  );
  fs.mkdirSync(home.path('pids'));
  fs.mkdirSync(home.path('logs'));
  return home.path('pids/sleeper.pid');
}

function run(command: string, ...args: string[]) {
  // Run as installed: through the symlink in <prefix>/bin, with the shebang picking up node.
  return spawnSync(command, args, { env: home.env(), encoding: 'utf8' });
}

describe('npm install --global of the packed usrsvc', () => {
  it('puts usrsvc and usrsvcd on PATH, and they start, report and stop a real program', () => {
    const bins = installGlobally(path.join(work.dir, 'prefix'));
    for (const bin of [bins.usrsvc, bins.usrsvcd, bins.usrsvcWeb]) expect(fs.lstatSync(bin).isSymbolicLink()).toBe(true);
    const pidfile = writeConfig();

    const started = run(bins.usrsvc, 'start', 'sleeper');
    expect(started.status, started.stderr).toBe(0);
    expect(started.stdout).toContain('Started sleeper');
    const pid = readPidfile(pidfile)!;
    reaper.track(pid);
    expect(isRunning(pid)).toBe(true);
    expect(isInitOrSubreaper(procStat(pid)!.ppid)).toBe(true);

    const status = run(bins.usrsvc, 'status', 'sleeper', '--json');
    expect(status.status, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ name: 'sleeper', running: true, pid });

    const stopped = run(bins.usrsvc, 'stop', 'sleeper');
    expect(stopped.status, stopped.stderr).toBe(0);
    expect(isRunning(pid)).toBe(false);
    expect(run(bins.usrsvc, 'status', 'sleeper').status).toBe(1);
  });

  it('runs usrsvc-web from the global install: it prints its URL, serves the bundled page and lists the programs', async () => {
    const bins = installGlobally(path.join(work.dir, 'prefix-web'));
    writeConfig();
    const port = await freePort();
    const listen = `127.0.0.1:${port}`;
    const url = run(bins.usrsvcWeb, 'url', '--listen', listen);
    expect(url.status, url.stderr).toBe(0);
    expect(url.stdout).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}/\\?token=[\\w-]{43}\\n$`));
    const token = new URL(url.stdout.trim()).searchParams.get('token')!;

    const web = spawn(bins.usrsvcWeb, ['--listen', listen], { env: home.env(), stdio: ['ignore', 'ignore', 'pipe'] });
    reaper.track(web.pid);
    let log = '';
    web.stderr.on('data', (chunk: Buffer) => {
      log += chunk.toString();
    });
    await waitFor('usrsvc-web to listen', () => log.includes('listening on'), { timeoutMs: 20_000 });
    const get = (p: string) => fetch(`http://${listen}${p}`, { headers: { authorization: `Bearer ${token}` } });
    const page = await get('/app.js');
    expect(page.status).toBe(200);
    expect((await page.text()).length).toBeGreaterThan(1000);
    const state = (await (await get('/api/state')).json()) as { mode: string; programs: { name: string }[] };
    expect(state.mode).toBe('launcher');
    expect(state.programs.map((p) => p.name)).toEqual(['sleeper']);
    web.kill('SIGTERM');
    await waitFor('usrsvc-web to exit', () => web.exitCode !== null, { timeoutMs: 10_000 });
    expect(web.exitCode).toBe(0);
  });

  it('compiles the pidfd addon at install, and usrsvcd runs from the global install', () => {
    const bins = installGlobally(path.join(work.dir, 'prefix-daemon'));
    expect(fs.existsSync(path.join(work.dir, 'prefix-daemon/lib/node_modules/usrsvc/build/Release/usrsvc_exitwatch.node'))).toBe(true);
    const pidfile = writeConfig();

    expect(run(bins.usrsvcd, 'checkconfig').status).toBe(0);
    const started = run(bins.usrsvcd);
    expect(started.status, started.stderr).toBe(0);
    const daemonPid = readPidfile(home.path('usrsvcd.pid'))!;
    reaper.track(daemonPid);

    const status = run(bins.usrsvcd, 'status');
    expect(status.status, status.stderr).toBe(0);
    expect(status.stdout).toContain('exit watch: pidfd');

    expect(run(bins.usrsvcd, 'stop').status).toBe(0);
    expect(isRunning(daemonPid)).toBe(false);
    reaper.trackPidfile(pidfile);
  });

  it('falls back to polling, without failing the install, on a machine with no C compiler', () => {
    const prefix = path.join(work.dir, 'prefix-nocc');
    const bins = installGlobally(prefix, { CC: '/bin/false', CXX: '/bin/false' });
    expect(fs.existsSync(path.join(prefix, 'lib/node_modules/usrsvc/build/Release/usrsvc_exitwatch.node'))).toBe(false);
    writeConfig();

    expect(run(bins.usrsvcd).status).toBe(0);
    const daemonPid = readPidfile(home.path('usrsvcd.pid'))!;
    reaper.track(daemonPid);
    const status = run(bins.usrsvcd, 'status');
    expect(status.status, status.stderr).toBe(0);
    expect(status.stdout).toContain('exit watch: poll');
    expect(run(bins.usrsvcd, 'stop').status).toBe(0);
  });
});

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeTempHome, type TempHome, waitFor } from '@usrsvc/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LiveSystemd } from './liveSystemd.js';

// The units under a real systemd (scripts/live-systemd.sh: systemd as PID 1 of private
// namespaces, the host root as a read-only overlay lower layer), installed as the README tells a
// user: `npm install --global` of the packed usrsvc, `./systemd/install.sh` from the checkout,
// `loginctl enable-linger web`, then, as web, `systemctl --user enable --now usrsvcd` and
// `usrsvc-web`. Needs root (CI runs as root); it fails, never skips, when systemd cannot boot.
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const USER = 'web';
const HOME = `/home/${USER}`;
const PROGRAMS = ['sleeper', 'napper'];
const WAIT = { timeoutMs: 30_000, intervalMs: 100 };

const mainConfig = `[Main]
config_dir = ${HOME}/usrsvc.d/cfg
pidfile = ${HOME}/usrsvc.d/pids/usrsvcd.pid
usrsvcd_stdout = ${HOME}/usrsvc.d/logs/usrsvcd.log
usrsvcd_stderr = stdout
`;
const programsConfig = PROGRAMS.map(
  (name, i) => `[Program:${name}]
command = /bin/sleep ${86_401 + i}
pidfile = ${HOME}/usrsvc.d/pids/${name}.pid
stdout = ${HOME}/usrsvc.d/logs/${name}.log
success_seconds = 0.5
`,
).join('\n');

let work: TempHome;
let live: LiveSystemd;
let booted = false;
let uid: string;

const asUser = (...args: string[]) => live.user(USER, args);
const asUserOk = (...args: string[]) => live.userOk(USER, args);
const unitProperty = (unit: string, property: string) => asUserOk('systemctl', '--user', 'show', '-p', property, '--value', unit).trim();
const isActive = (unit: string) => asUser('systemctl', '--user', 'is-active', unit).stdout.trim();

/** PID and start time, so that a PID reused meanwhile does not pass for the same process. */
function identities(pids: number[]): string[] {
  const script = 'for p; do echo "$p@$(sed "s/.*) //" /proc/$p/stat 2>/dev/null | cut -d" " -f20)"; done';
  return live.rootOk(['sh', '-c', script, 'sh', ...pids.map(String)]).trim().split('\n');
}

/** Every configured program, once usrsvc status says all run: name -> PID@start time. */
async function runningServices(): Promise<Record<string, string>> {
  const list = await waitFor(
    `${PROGRAMS.join(', ')} running`,
    () => {
      const status = JSON.parse(asUserOk('usrsvc', 'status', '--json')) as { name: string; running: boolean; pid: number | null }[];
      return PROGRAMS.every((name) => status.some((p) => p.name === name && p.running && p.pid)) && status;
    },
    WAIT,
  );
  const ids = identities(PROGRAMS.map((name) => list.find((p) => p.name === name)!.pid!));
  return Object.fromEntries(PROGRAMS.map((name, i) => [name, ids[i]]));
}

function expectStillRunning(services: Record<string, string>) {
  const pids = Object.values(services).map((id) => Number(id.split('@')[0]));
  expect(identities(pids)).toEqual(Object.values(services));
}

beforeAll(async () => {
  if (process.getuid?.() !== 0) throw new Error('the live systemd test needs root: it boots systemd in private namespaces (CI runs as root)');
  work = makeTempHome('usrsvc-live-systemd-');
  const packDir = work.path('pack');
  fs.mkdirSync(packDir);
  const packed = spawnSync('pnpm', ['pack', '--pack-destination', packDir], { cwd: path.join(repo, 'apps/usrsvc'), encoding: 'utf8' });
  expect(packed.status, packed.stderr).toBe(0);

  live = new LiveSystemd({ base: work.path('systemd'), name: `usrsvc-live-${process.pid}`, binds: [repo, packDir] });
  live.up();
  booted = true;
  // README, Install: the global install (here of the packed tarball, as from a clone)
  live.rootOk(['sh', '-c', 'cd "$1" && npm install --global ./usrsvc-*.tgz --no-audit --no-fund', 'sh', packDir]);
  // README, systemd: the installer from the checkout, as root
  live.rootOk(['sh', '-c', 'cd "$1" && ./systemd/install.sh', 'sh', repo]);
  live.rootOk(['useradd', '--create-home', '--shell', '/bin/bash', USER]);
  uid = live.rootOk(['id', '-u', USER]).trim();
  // README, Quickstart: the account's configuration
  asUserOk('mkdir', '-p', `${HOME}/usrsvc.d/cfg`, `${HOME}/usrsvc.d/logs`, `${HOME}/usrsvc.d/pids`);
  live.userOk(USER, ['sh', '-c', 'cat > "$1"', 'sh', `${HOME}/usrsvc.cfg`], mainConfig);
  live.userOk(USER, ['sh', '-c', 'cat > "$1"', 'sh', `${HOME}/usrsvc.d/cfg/programs.cfg`], programsConfig);
  asUserOk('usrsvcd', 'checkconfig');
  live.rootOk(['loginctl', 'enable-linger', USER]);
  await waitFor(`user@${uid}.service active`, () => live.root(['systemctl', 'is-active', `user@${uid}.service`]).stdout.trim() === 'active', WAIT);
}, 180_000);

afterEach((context) => {
  if (context.task.result?.state !== 'fail' || !booted) return;
  console.error(`journal of the live systemd (last lines):\n${live.root(['journalctl', '-b', '--no-pager', '-n', '80']).stdout}`);
});

afterAll(() => {
  if (booted) live.down();
  work?.remove();
}, 90_000);

describe('the systemd units under a live systemd, with a linger user', () => {
  it('installs the units with the globally installed commands, and `systemctl --user enable --now` starts both', async () => {
    const usrsvcd = live.rootOk(['sh', '-c', 'command -v usrsvcd']).trim();
    const usrsvcWeb = live.rootOk(['sh', '-c', 'command -v usrsvc-web']).trim();
    expect(unitProperty('usrsvcd.service', 'ExecStart')).toContain(`path=${usrsvcd} ; argv[]=${usrsvcd} --foreground ;`);
    expect(unitProperty('usrsvc-web.service', 'ExecStart')).toContain(`path=${usrsvcWeb} ;`);
    expect(unitProperty('usrsvcd.service', 'KillMode')).toBe('process');
    expect(unitProperty('usrsvc-web.service', 'KillMode')).toBe('process');

    asUserOk('systemctl', '--user', 'enable', '--now', 'usrsvcd');
    asUserOk('systemctl', '--user', 'enable', '--now', 'usrsvc-web');
    expect(asUserOk('systemctl', '--user', 'is-enabled', 'usrsvcd', 'usrsvc-web').split('\n').slice(0, 2)).toEqual(['enabled', 'enabled']);
    await waitFor('usrsvcd and usrsvc-web active', () => isActive('usrsvcd') === 'active' && isActive('usrsvc-web') === 'active', WAIT);

    // the autostart programs run, children of the user manager (the subreaper), not of usrsvcd,
    // yet in usrsvcd.service's control group: what KillMode=process is for
    const services = await runningServices();
    const manager = live.rootOk(['systemctl', 'show', '-p', 'MainPID', '--value', `user@${uid}.service`]).trim();
    for (const id of Object.values(services)) {
      const pid = id.split('@')[0];
      expect(live.rootOk(['sh', '-c', 'sed "s/.*) //" /proc/$1/stat | cut -d" " -f2', 'sh', pid]).trim()).toBe(manager);
      expect(live.rootOk(['cat', `/proc/${pid}/cgroup`])).toContain('/usrsvcd.service');
    }
  });

  it('starts usrsvcd at boot of the user manager, and usrsvcd starts the autostart programs', async () => {
    const before = await runningServices();
    live.rootOk(['systemctl', 'stop', `user@${uid}.service`]);
    // the README: services still end at shutdown, when systemd ends every remaining process
    await waitFor('the services gone with the user manager', () => identities(Object.values(before).map((id) => Number(id.split('@')[0]))).every((id) => id.endsWith('@')), WAIT);

    live.rootOk(['systemctl', 'start', `user@${uid}.service`]);
    await waitFor('usrsvcd active after the user manager booted', () => isActive('usrsvcd') === 'active', WAIT);
    const after = await runningServices();
    for (const name of PROGRAMS) expect(after[name]).not.toBe(before[name]);
  });

  it('`systemctl --user status usrsvcd` shows it active', () => {
    const status = asUser('systemctl', '--user', 'status', '--no-pager', 'usrsvcd');
    expect(status.status, status.stdout + status.stderr).toBe(0);
    expect(status.stdout).toContain('usrsvcd.service - usrsvcd, the usrsvc daemon, for this user');
    expect(status.stdout).toMatch(/Active: active \(running\)/);
    expect(status.stdout).toContain(`Main PID: ${unitProperty('usrsvcd.service', 'MainPID')} (usrsvcd)`);
  });

  it('`systemctl --user stop usrsvcd` stops the daemon alone: every service runs on with its PID', async () => {
    const services = await runningServices();
    asUserOk('systemctl', '--user', 'stop', 'usrsvcd');
    expect(isActive('usrsvcd')).toBe('inactive');
    expectStillRunning(services);

    asUserOk('systemctl', '--user', 'start', 'usrsvcd');
    await waitFor('usrsvcd active', () => isActive('usrsvcd') === 'active', WAIT);
    expect(await runningServices()).toEqual(services);
  });

  it('`systemctl --user restart usrsvcd` runs a new daemon, and every service runs on with its PID', async () => {
    const services = await runningServices();
    const daemon = unitProperty('usrsvcd.service', 'MainPID');
    asUserOk('systemctl', '--user', 'restart', 'usrsvcd');
    await waitFor('usrsvcd active', () => isActive('usrsvcd') === 'active', WAIT);
    expect(unitProperty('usrsvcd.service', 'MainPID')).not.toBe(daemon);
    expectStillRunning(services);
    expect(await runningServices()).toEqual(services);
  });

  it('restarts a SIGKILLed usrsvcd (Restart=on-failure), and every service runs on with its PID', async () => {
    const services = await runningServices();
    const daemon = unitProperty('usrsvcd.service', 'MainPID');
    const restarts = Number(unitProperty('usrsvcd.service', 'NRestarts'));
    live.rootOk(['kill', '-KILL', daemon]);
    await waitFor(
      'systemd to restart usrsvcd',
      () => Number(unitProperty('usrsvcd.service', 'NRestarts')) === restarts + 1 && isActive('usrsvcd') === 'active',
      WAIT,
    );
    const newDaemon = unitProperty('usrsvcd.service', 'MainPID');
    expect(newDaemon).not.toBe(daemon);
    expect(newDaemon).not.toBe('0');
    expectStillRunning(services);
    expect(await runningServices()).toEqual(services);
  });

  it('usrsvc-web.service answers on loopback, with the token that `usrsvc-web url` prints', async () => {
    const url = asUserOk('usrsvc-web', 'url').trim();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:9715\/\?token=[\w-]{43}$/);
    const fetchState = `
      const url = new URL(process.argv[1]);
      const headers = process.argv[2] === 'token' ? { authorization: 'Bearer ' + url.searchParams.get('token') } : {};
      fetch(new URL('/api/state', url), { headers }).then(async (r) => console.log(JSON.stringify({ status: r.status, body: await r.text() })));`;
    const get = (auth: string) => JSON.parse(asUserOk('node', '-e', fetchState, url, auth)) as { status: number; body: string };
    // After the SIGKILL test usrsvcd may be coming back: the page shows the launcher's view meanwhile
    // and the daemon's once it reconnects.
    const state = await waitFor('usrsvc-web to answer with usrsvcd\'s view', () => {
      const answer = get('token');
      const body = answer.status === 200 && (JSON.parse(answer.body) as { mode: string; programs: { name: string }[] });
      return body && body.mode === 'daemon' && body;
    }, WAIT);
    expect(state.programs.map((p) => p.name)).toEqual(PROGRAMS);
    expect(get('none').status).toBe(401);
  });

  it('powers off with nothing left: no process of its namespace, no cgroup', () => {
    const result = live.down();
    booted = false;
    expect(result.status, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/cgroup \S+ removed; processes left in pid:\[\d+\]: none/);
    const cgroup = result.stdout.match(/cgroup (\S+) removed/)![1];
    expect(fs.existsSync(cgroup)).toBe(false);
  });
});

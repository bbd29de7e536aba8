import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { ReturnCodes } from '@usrsvc/launcher';
import { readPidfile, waitFor } from '@usrsvc/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { DaemonHarness, exitOf, isLive } from './test-support/daemonHarness.js';

let h: DaemonHarness;
afterEach(async () => {
  await h.cleanup();
});

describe('usrsvcd actions', () => {
  it('checkconfig: 0 for a good config, 130 listing every error with file and line', async () => {
    h = new DaemonHarness();
    h.writeProgram('good', h.uniqueSleep());
    const ok = await h.runCli(['checkconfig']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/Configuration OK: 1 programs/);

    h.writeProgram('amp', `${h.uniqueSleep()} &`);
    const warned = await h.runCli(['checkconfig']);
    expect(warned.code).toBe(0);
    expect(warned.stderr).toContain(
      `warning: ${h.confDir}/amp.cfg:2: [Program:amp] command: the trailing "&" was dropped: usrsvc runs the program in the background itself (remove the "&")\n`,
    );
    h.removeProgram('amp');

    fs.writeFileSync(`${h.confDir}/bad.cfg`, '[Program:bad]\ncommand = sleep 1\nmaxrestart = 3\n');
    const bad = await h.runCli(['checkconfig']);
    expect(bad.code).toBe(ReturnCodes.INVALID_CONFIG);
    expect(bad.stderr).toContain(`${h.confDir}/bad.cfg:3`);
    expect(bad.stderr).toMatch(/maxrestarts/);
    expect(bad.stderr).toMatch(/pidfile/);
  });

  it('checkconfig loads monitor plugins: a missing plugin is a config error', async () => {
    h = new DaemonHarness();
    h.writeMain('monitor_plugins = /nonexistent/usrsvc-monitor-nothing.mjs');
    const result = await h.runCli(['checkconfig']);
    expect(result.code).toBe(ReturnCodes.INVALID_CONFIG);
    expect(result.stderr).toMatch(/monitor_plugins/);
  });

  it('status is 1 when not running; start in the background returns 0 with the pidfile written; status 0; a second start gives 135; stop', async () => {
    h = new DaemonHarness();
    const svcPidfile = h.writeProgram('svc', h.uniqueSleep());
    expect((await h.runCli(['status'])).code).toBe(ReturnCodes.GENERAL_FAILURE);

    const started = await h.runCli([]);
    expect(started.code).toBe(0);
    const pid = readPidfile(h.pidfile);
    expect(pid).toBeDefined();
    h.reaper.track(pid);
    expect(isLive(pid!)).toBe(true);
    expect(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8')).toContain('usrsvcd');

    const status = await h.runCli(['status']);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`pid ${pid}`);
    expect(status.stdout).toMatch(/exit watch: (pidfd|poll)/);
    // The pidfile is claimed before the API listens: wait for the socket line.
    await waitFor('the API socket in status', async () => (await h.runCli(['status'])).stdout.includes(`API socket: ${h.stateDir}/usrsvcd.sock\n`));

    const second = await h.runCli(['start']);
    expect(second.code).toBe(ReturnCodes.USRSVCD_ALREADY_RUNNING);
    const foreground = await h.runCli(['--foreground']);
    expect(foreground.code).toBe(ReturnCodes.USRSVCD_ALREADY_RUNNING);

    const svc = await h.servicePid(svcPidfile);
    const stopped = await h.runCli(['stop']);
    expect(stopped.code).toBe(0);
    expect(isLive(pid!)).toBe(false);
    expect(fs.existsSync(h.pidfile)).toBe(false);
    // stop touches no service
    expect(isLive(svc)).toBe(true);
    expect((await h.runCli(['status'])).code).toBe(ReturnCodes.GENERAL_FAILURE);
  });

  it('a stale pidfile naming a process that is not usrsvcd does not block start, even one whose command line says usrsvcd', async () => {
    h = new DaemonHarness();
    fs.writeFileSync(h.logFile, '');
    // A reused pid now running `tail -f usrsvcd.log`: recognised by pid + start time, not by its command line.
    const other = spawn('tail', ['-f', h.logFile], { stdio: 'ignore' });
    h.reaper.track(other.pid);
    fs.writeFileSync(h.pidfile, `${other.pid}\n`);
    expect((await h.runCli(['status'])).code).toBe(ReturnCodes.GENERAL_FAILURE);
    const child = await h.startDaemonAndWait();
    expect(readPidfile(h.pidfile)).toBe(child.pid);
  });

  it('of two daemons started at the same instant, exactly one runs and the other exits 135', async () => {
    h = new DaemonHarness();
    for (let round = 0; round < 3; round++) {
      const pair = [h.startDaemon(), h.startDaemon()];
      const owner = await waitFor('a daemon owning the pidfile', () => {
        const pid = readPidfile(h.pidfile);
        return pid !== undefined && pair.some((child) => child.pid === pid) ? pid : undefined;
      });
      const loser = pair.find((child) => child.pid !== owner)!;
      expect(await exitOf(loser)).toBe(ReturnCodes.USRSVCD_ALREADY_RUNNING);
      const winner = pair.find((child) => child.pid === owner)!;
      expect(isLive(owner)).toBe(true);
      winner.kill('SIGTERM');
      expect(await exitOf(winner)).toBe(0);
    }
  });

  it('--foreground stops on SIGTERM with exit 0 and removes its pidfile', async () => {
    h = new DaemonHarness();
    const child = await h.startDaemonAndWait();
    child.kill('SIGTERM');
    expect(await exitOf(child)).toBe(0);
    expect(fs.existsSync(h.pidfile)).toBe(false);
    expect(h.log()).toMatch(/got SIGTERM, shutting down/);
  });

  it('restart replaces the daemon; reread with no daemon running is not an error', async () => {
    h = new DaemonHarness();
    const reread = await h.runCli(['reread']);
    expect(reread.code).toBe(0);
    expect((await h.runCli(['start'])).code).toBe(0);
    const first = readPidfile(h.pidfile)!;
    h.reaper.track(first);
    expect((await h.runCli(['restart'])).code).toBe(0);
    const second = await waitFor('a new daemon pid', () => {
      const pid = readPidfile(h.pidfile);
      return pid !== undefined && pid !== first ? pid : undefined;
    });
    h.reaper.track(second);
    expect(isLive(first)).toBe(false);
    expect(isLive(second)).toBe(true);
  });

  it('unknown actions and extra words give 131, and --help gives 138 with its text as written', async () => {
    h = new DaemonHarness();
    expect((await h.runCli(['frobnicate'])).code).toBe(ReturnCodes.INVALID_ACTION);
    expect((await h.runCli(['status', 'extra'])).code).toBe(ReturnCodes.INVALID_ACTION);
    const help = await h.runCli(['--help']);
    expect(help.code).toBe(ReturnCodes.HELP_MESSAGE);
    // Not wrapped by yargs to the (absent) terminal's width: each line stays whole.
    expect(help.stdout).toContain('it keeps programs running (autostart, autorestart),\nmonitors them');
    expect(help.stdout).toContain('\n  start        Start the daemon in the background; returns once its pidfile is written.\n');
    expect(help.stdout).toContain('\n  checkconfig  Validate the configuration (with monitor plugins) without touching the daemon.\n');
  });

  it('reread and stop with a broken config give 130', async () => {
    h = new DaemonHarness();
    fs.writeFileSync(`${h.confDir}/bad.cfg`, '[Program:bad]\n');
    expect((await h.runCli(['reread'])).code).toBe(ReturnCodes.INVALID_CONFIG);
    expect((await h.runCli(['start'])).code).toBe(ReturnCodes.INVALID_CONFIG);
  });

  it('a SIGTERM the moment its pidfile appears (a stop right after a start) is a clean shutdown: exit 0, pidfile and state removed', async () => {
    h = new DaemonHarness();
    h.writeProgram('svc', h.uniqueSleep());
    const daemon = h.startDaemon();
    await waitFor('usrsvcd pidfile', () => readPidfile(h.pidfile) === daemon.pid, { timeoutMs: 15_000, intervalMs: 1 });
    daemon.kill('SIGTERM');
    expect(await exitOf(daemon)).toBe(0);
    expect(fs.existsSync(h.pidfile)).toBe(false);
    expect(fs.existsSync(`${h.stateDir}/usrsvcd.json`)).toBe(false);
    expect(h.log()).toContain('usrsvcd got SIGTERM, shutting down. Services are left running.');
    expect(h.log()).toContain('usrsvcd stopped.');
  });
});

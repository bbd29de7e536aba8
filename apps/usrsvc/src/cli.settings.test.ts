import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { isRunning, procCwd, procEnviron, procLimits, readPidfile, waitFor } from '@usrsvc/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { type CliTestHome, makeCliTestHome } from './test-support/cliTestHome.js';
import { BIN } from './test-support/runCli.js';
import { uniqueSleep } from './test-support/testConfig.js';
import { livePid, startUsrsvcd, stopStartedUsrsvcds } from './test-support/usrsvcd.js';

let t: CliTestHome;
afterEach(async () => {
  await stopStartedUsrsvcds();
  t.cleanup();
});

/** usrsvcd --foreground with an environment that has no FOO, as after a reboot. */
async function startDaemon(): Promise<void> {
  await startUsrsvcd(t);
}

describe('settings through the real CLI and usrsvcd', () => {
  it('a crash never changes the environment: FOO=x usrsvc restart, kill -9, usrsvcd restarts it with FOO=x', async () => {
    t = makeCliTestHome({ p: { command: uniqueSleep() } });
    await startDaemon();
    const first = await livePid(t.pidfiles.p!);
    expect(procEnviron(first).FOO).toBeUndefined();

    const restarted = await t.usrsvc(['restart', 'p'], { extraEnv: { FOO: 'x' } });
    expect(restarted.code).toBe(0);
    const second = await livePid(t.pidfiles.p!, first);
    expect(procEnviron(second).FOO).toBe('x');
    // Wherever the command was typed, the program runs in HOME.
    expect(procCwd(second)).toBe(fs.realpathSync(t.home.dir));
    const recorded = fs.statSync(t.home.path('.local', 'state', 'usrsvc', 'env', 'p.json'));
    expect(recorded.mode & 0o777).toBe(0o600);

    process.kill(second, 'SIGKILL');
    const third = await livePid(t.pidfiles.p!, second);
    expect(procEnviron(third).FOO).toBe('x');
  });

  it('autorestart = unexpected: exit 0 is left alone and shown as expected; exit 3 is restarted', async () => {
    const stopFile = (): string => t.home.path('stop');
    t = makeCliTestHome((home) => ({
      u: {
        command: `/bin/sh ${home.write('u.sh', `while [ ! -e ${home.path('stop')} ]; do sleep 0.05; done\ncode=$(cat ${home.path('stop')}); rm -f ${home.path('stop')}; exit $code\n`, 0o755)}`,
        autorestart: 'unexpected',
        exit_codes: '0, 2',
      },
    }));
    await startDaemon();
    const first = await livePid(t.pidfiles.u!);
    fs.writeFileSync(stopFile(), '3');
    const second = await livePid(t.pidfiles.u!, first);

    fs.writeFileSync(stopFile(), '0');
    await waitFor('the program to exit', () => !isRunning(second));
    const status = await waitFor('usrsvcd to show the expected exit', async () => {
      const run = await t.usrsvc(['status']);
      return run.stdout.includes('exited (expected, code 0)') && run;
    }, { timeoutMs: 20_000 });
    expect(status.stdout).toMatch(/^u\s/m);
    expect(readPidfile(t.pidfiles.u!) === undefined || !isRunning(readPidfile(t.pidfiles.u!)!)).toBe(true);
  });

  it('without limit_nofile, a program gets the open-files limit of the shell usrsvc was typed in', async () => {
    t = makeCliTestHome({ n: { command: uniqueSleep() }, l: { command: uniqueSleep(), limit_nofile: '2000:3000', umask: '077', nice: 3 } });
    const hard = procLimits('self').nofile!.hard;
    // A shell that does not exec usrsvc: its limit is what usrsvc finds in its parent.
    const shell = spawnSync('/bin/sh', ['-c', `ulimit -S -n 1000; "${process.execPath}" "${BIN}" start all; exit $?`], { env: t.home.env(), encoding: 'utf8' });
    expect(shell.status, shell.stderr).toBe(0);
    const plain = await livePid(t.pidfiles.n!);
    const limited = await livePid(t.pidfiles.l!);
    expect(procLimits(plain).nofile).toEqual({ soft: 1000, hard });
    expect(procLimits(limited).nofile).toEqual({ soft: 2000, hard: 3000 });
    expect(procEnviron(plain).USRSVC_INHERITED_NOFILE).toBeUndefined();
  });

  it('usrsvc reload: 1 saying why without reload_signal or when not running; signal reaches the program', async () => {
    t = makeCliTestHome({ r: { command: uniqueSleep() }, h: { command: uniqueSleep(), reload_signal: 'CONT' } });
    const none = await t.usrsvc(['reload', 'r']);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('no reload_signal');
    const stopped = await t.usrsvc(['reload', 'h']);
    expect(stopped.code).toBe(1);
    expect(stopped.stderr).toContain('not running');
    expect((await t.usrsvc(['start', 'all'])).code).toBe(0);
    const pid = await livePid(t.pidfiles.h!);
    const sent = await t.usrsvc(['reload', 'h']);
    expect(sent.code, sent.stderr).toBe(0);
    expect(readPidfile(t.pidfiles.h!)).toBe(pid);
    // `all`: each program that can be reloaded is, and the one without reload_signal makes it 1, named.
    const all = await t.usrsvc(['reload', 'all']);
    expect(all.code).toBe(1);
    expect(`${all.stdout}${all.stderr}`).toContain(`sent SIGCONT to h [${pid}]`);
    expect(all.stderr).toContain('r has no reload_signal');
    expect(readPidfile(t.pidfiles.h!)).toBe(pid);
    const bad = await t.usrsvc(['signal', 'r', 'NOPE']);
    expect(bad.code).toBe(131);
    const term = await t.usrsvc(['signal', 'r', 'TERM', '--group']);
    expect(term.code, term.stderr).toBe(0);
    await waitFor('the program to die of TERM', () => !isRunning(readPidfile(t.pidfiles.r!) ?? 0));
  });
});

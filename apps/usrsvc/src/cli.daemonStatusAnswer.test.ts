import fs from 'node:fs';
import { waitFor } from '@usrsvc/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { type CliTestHome, makeCliTestHome } from './test-support/cliTestHome.js';
import type { CliRun } from './test-support/runCli.js';
import { uniqueSleep } from './test-support/testConfig.js';
import { startUsrsvcd, stopStartedUsrsvcds } from './test-support/usrsvcd.js';

// usrsvcd answering `usrsvc status` (src/daemonStatus, @usrsvc/cli-actions' answerStatusRequest):
// whatever it answers must be what the CLI prints with the answer turned off.

const TIME_WORDS = /\d+/g;
const shape = (run: CliRun) => ({ code: run.code, stdout: run.stdout.replace(TIME_WORDS, '#').replace(/ +/g, ' '), stderr: run.stderr.replace(TIME_WORDS, '#').replace(/ +/g, ' ') });
// Every process estimates the boot time from /proc/uptime (10 ms ticks): the milliseconds of a
// startTime differ between two CLI runs as between the CLI and usrsvcd.
const startMs = /("startTime": "[^"]+:\d\d)\.\d{3}Z"/g;
const exact = (run: CliRun) => ({ code: run.code, stdout: run.stdout.replace(startMs, '$1.mmmZ"'), stderr: run.stderr });

let traces = 0;

describe('usrsvcd answers usrsvc status with what the CLI itself prints', () => {
  let t: CliTestHome;
  afterEach(async () => {
    await stopStartedUsrsvcds();
    t.cleanup();
  });

  /**
   * Runs `usrsvc ARGS` answered by usrsvcd and with USRSVC_NO_DAEMON_STATUS=1, side by side, and
   * expects the same code, stdout and stderr. Stamps, uptimes and "4s ago" may tick between the two:
   * everything but the numbers must always be equal, and all of it in one of a few tries.
   */
  async function expectSameAnswer(args: string[], extraEnv: NodeJS.ProcessEnv = {}, expected: 'answered by usrsvcd' | RegExp = 'answered by usrsvcd'): Promise<CliRun> {
    let last: { fast: CliRun; slow: CliRun } | undefined;
    for (let attempt = 0; attempt < 5; attempt += 1) {
      traces += 1;
      const trace = t.home.path(`trace-${traces}`);
      const [fast, slow] = await Promise.all([
        t.usrsvc(args, { extraEnv: { ...extraEnv, USRSVC_DAEMON_STATUS_TRACE: trace } }),
        t.usrsvc(args, { extraEnv: { ...extraEnv, USRSVC_NO_DAEMON_STATUS: '1' } }),
      ]);
      const way = fs.readFileSync(trace, 'utf8').trim();
      if (typeof expected === 'string') expect(way, `${args.join(' ')}`).toBe(expected);
      else expect(way, `${args.join(' ')}`).toMatch(expected);
      expect(shape(fast), `${args.join(' ')}`).toEqual(shape(slow));
      last = { fast, slow };
      if (JSON.stringify(exact(fast)) === JSON.stringify(exact(slow))) return fast;
    }
    expect(exact(last!.fast)).toEqual(exact(last!.slow));
    return last!.fast;
  }

  it('for every state, name, instance, flag, colour and time zone; after a config edit; and without usrsvcd', async () => {
    t = makeCliTestHome((home) => ({
      web: { command: uniqueSleep() },
      gone: { command: uniqueSleep() },
      bad: { command: `/bin/sh ${home.write('bad.sh', 'echo oops >&2; exit 3\n', 0o755)}`, maxrestarts: 2 },
      flap: { command: `/bin/sh ${home.write('flap.sh', 'exit 1\n', 0o755)}`, restart_delay: 600 },
      after: { command: uniqueSleep(), depends_on: 'bad' },
      idle: { command: uniqueSleep(), autostart: false },
      manual: { command: uniqueSleep(), autostart: false, autorestart: false },
      off: { command: uniqueSleep(), enabled: false },
      pool: { command: `${uniqueSleep()}%(instance)d`, instances: 2, pidfile: home.path('run', 'pool-%(instance)d.pid'), stdout: home.path('logs', 'pool-%(instance)d.log') },
    }));
    delete t.pidfiles.pool;
    for (const k of [0, 1]) {
      t.pidfiles[`pool@${k}`] = t.home.path('run', `pool-${k}.pid`);
      t.reaper.trackPidfile(t.pidfiles[`pool@${k}`]!);
    }
    await startUsrsvcd(t, {});
    await waitFor('web, gone and pool running, bad given up, flap in backoff', async () => {
      const run = await t.usrsvc(['status'], { extraEnv: { USRSVC_NO_DAEMON_STATUS: '1' } });
      return ['web', 'gone', 'pool@0', 'pool@1'].every((name) => new RegExp(`^${name}\\s+running\\s`, 'm').test(run.stdout)) && /^bad\s+gave up/m.test(run.stdout) && /^flap\s+backoff/m.test(run.stdout);
    }, { timeoutMs: 30_000 });
    expect((await t.usrsvc(['start', 'manual'])).code).toBe(0);
    expect((await t.usrsvc(['stop', 'gone'])).code).toBe(0);

    const table = await expectSameAnswer(['status']);
    expect(table.stdout).toMatch(/^manual\s+running \(not managed\)/m);
    expect(table.stdout).toMatch(/^gone\s+stopped by user/m);
    expect(table.stdout).toMatch(/^after\s+stopped \(waiting for bad/m);
    expect(table.stdout).toMatch(/^off\s+/m);
    expect(JSON.parse((await expectSameAnswer(['status', '--json'])).stdout)).toHaveLength(10);
    for (const name of ['web', 'gone', 'bad', 'flap', 'after', 'idle', 'manual', 'off', 'pool', 'pool@1', 'nosuch']) {
      await expectSameAnswer(['status', name]);
      await expectSameAnswer(['status', name, '--json']);
    }
    expect((await expectSameAnswer(['status', 'nosuch'])).code).toBe(133);
    expect((await expectSameAnswer(['status', 'gone'])).code).toBe(1);
    await expectSameAnswer(['status', 'all']);
    await expectSameAnswer(['--json', 'status', 'all']);
    await expectSameAnswer(['status', '-P', 'all']);
    await expectSameAnswer(['status', '--config', t.home.path('usrsvc.cfg'), 'web']);
    await expectSameAnswer(['status', 'web'], { USRSVC_CONFIG: t.home.path('usrsvc.cfg') });

    // Colour: on a pipe only when forced; NO_COLOR wins.
    const coloured = await expectSameAnswer(['status'], { FORCE_COLOR: '1' });
    expect(coloured.stdout).toContain('\u001b[32mrunning');
    expect((await expectSameAnswer(['status', 'bad'], { FORCE_COLOR: '1', NO_COLOR: '1' })).stderr).not.toContain('\u001b[');
    await expectSameAnswer(['status', 'web'], { FORCE_COLOR: '1', TERM: 'dumb' });
    // The stamps are in the CLI's time zone, not usrsvcd's.
    const utc = await expectSameAnswer(['status', 'web'], { TZ: 'UTC' });
    const kolkata = await expectSameAnswer(['status', 'web'], { TZ: 'Asia/Kolkata' });
    const hourOf = (run: CliRun) => /^\[\w+ \w+ +\d+ (\d\d):(\d\d)/.exec(run.stdout)!.slice(1).map(Number);
    const [utcHour, utcMinute] = hourOf(utc);
    const [hour, minute] = hourOf(kolkata);
    expect(((hour! * 60 + minute!) - (utcHour! * 60 + utcMinute!) + 1440) % 1440).toBeGreaterThanOrEqual(329);
    expect(((hour! * 60 + minute!) - (utcHour! * 60 + utcMinute!) + 1440) % 1440).toBeLessThanOrEqual(331);

    // What it does not answer, the CLI does (the same output, of course).
    await expectSameAnswer(['status', 'web', '--debug'], {}, /^fallback: not a status command line/);
    await expectSameAnswer(['status', 'web'], { HOME: '.' }, /^fallback: HOME is not an absolute path/);
    await expectSameAnswer(['status', '--config', 'usrsvc.cfg', 'web'], {}, /^fallback: not a status command line/);
    // usrsvcd reads no config but its own: another main config is the CLI's to read.
    fs.copyFileSync(t.home.path('usrsvc.cfg'), t.home.path('other.cfg'));
    await expectSameAnswer(['status', '--config', t.home.path('other.cfg'), 'web'], {}, /^fallback: declined: another config than usrsvcd's/);
    await expectSameAnswer(['status', 'web'], { USRSVC_CONFIG: t.home.path('other.cfg') }, /^fallback: declined: another config than usrsvcd's/);

    // The config as it is on disk now, not as usrsvcd read it: a new program, a changed one...
    t.home.write('cfg/late.cfg', `[Program:late]\ncommand = ${uniqueSleep()}\npidfile = ${t.home.path('run', 'late.pid')}\nstdout = ${t.home.path('logs', 'late.log')}\n`);
    expect((await expectSameAnswer(['status'])).stdout).toMatch(/^late\s+stopped/m);
    await expectSameAnswer(['status', 'late']);
    fs.rmSync(t.home.path('cfg', 'idle.cfg'));
    expect((await expectSameAnswer(['status', 'idle'])).code).toBe(133);
    // ...a folder the config names that is gone, a warning, an error.
    t.home.write('cfg/late.cfg', `[Program:late]\ncommand = sleep 1 &\npidfile = ${t.home.path('run', 'late.pid')}\nstdout = ${t.home.path('gone', 'late.log')}\n`);
    expect((await expectSameAnswer(['status'])).code).toBe(130);
    t.home.write('cfg/late.cfg', `[Program:late]\ncommand = sleep 1 &\npidfile = ${t.home.path('run', 'late.pid')}\nstdout = ${t.home.path('logs', 'late.log')}\n`);
    expect((await expectSameAnswer(['status', 'late'])).stderr).toContain('warning');
    // usrsvcd's own supervision is not changed by this: it still runs what it read at its start.
    const views = await t.usrsvc(['status', 'web']);
    expect(views.stdout).toMatch(/usrsvcd: running/);

    // No usrsvcd: no answer, the same output.
    await stopStartedUsrsvcds();
    await expectSameAnswer(['status'], {}, /^fallback: connect ENOENT/);
    await expectSameAnswer(['status', 'web'], {}, /^fallback: connect ENOENT/);
  }, 180_000);
});

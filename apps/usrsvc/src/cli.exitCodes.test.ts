import fs from 'node:fs';
import { withProgramLock } from '@usrsvc/launcher';
import { afterEach, describe, expect, it } from 'vitest';
import { type CliTestHome, makeCliTestHome } from './test-support/cliTestHome.js';
import { uniqueSleep } from './test-support/testConfig.js';

describe('usrsvc exit codes', () => {
  let t: CliTestHome;
  afterEach(() => t.cleanup());

  it('0 on success and 1 for a program that is not running', async () => {
    t = makeCliTestHome({ idle: { command: uniqueSleep() } });
    expect((await t.usrsvc(['stop', 'idle'])).code).toBe(0);
    const status = await t.usrsvc(['status', 'idle']);
    expect(status.code).toBe(1);
    expect(status.stderr).toContain('idle is NOT running');
  });

  it('11 (TRY_AGAIN) when the program lock stays busy past USRSVC_LOCK_TIMEOUT', async () => {
    t = makeCliTestHome({ busy: { command: uniqueSleep() } });
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let acquired!: () => void;
    const isAcquired = new Promise<void>((resolve) => (acquired = resolve));
    const holding = withProgramLock('busy', { env: t.home.env() }, async () => {
      acquired();
      await held;
    });
    await isAcquired;
    try {
      const run = await t.usrsvc(['start', 'busy'], { extraEnv: { USRSVC_LOCK_TIMEOUT: '0.3' } });
      expect(run.code).toBe(11);
      expect(run.stderr).toContain('Cannot acquire lock for busy');
      expect(run.stdout).toBe('');
    } finally {
      release();
      await holding;
    }
  });

  it('130 (INVALID_CONFIG) printing every config error with file, line, section, key and hint', async () => {
    t = makeCliTestHome({ good: { command: uniqueSleep() } });
    const file = t.home.write(
      'cfg/bad.cfg',
      '[Program:bad]\ncommand = sleep 1\npidfile = relative/bad.pid\nmaxrestart = 3\nstdout = /tmp/x.log\n',
    );
    const run = await t.usrsvc(['status', 'good']);
    expect(run.code).toBe(130);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('usrsvc: invalid configuration (2 errors):');
    expect(run.stderr).toContain(`${file}:3: [Program:bad] pidfile: `);
    expect(run.stderr).toContain(`${file}:4: [Program:bad] maxrestart: `);
    expect(run.stderr).toMatch(/hint: .*maxrestarts/);
  });

  it('130 when --config names a file that does not exist', async () => {
    t = makeCliTestHome({});
    const run = await t.usrsvc(['--config', t.home.path('missing.cfg'), 'status']);
    expect(run.code).toBe(130);
    expect(run.stderr).toContain('missing.cfg');
  });

  it('131 (INVALID_ACTION) for an unknown action', async () => {
    t = makeCliTestHome({ web: { command: uniqueSleep() } });
    const run = await t.usrsvc(['frobnicate', 'web']);
    expect(run.code).toBe(131);
    expect(run.stderr).toContain('Unknown action: frobnicate');
  });

  it('132 (PROGRAM_DISABLED) for start and restart of a disabled program', async () => {
    t = makeCliTestHome({ off: { command: uniqueSleep(), enabled: false } });
    for (const action of ['start', 'restart']) {
      const run = await t.usrsvc([action, 'off']);
      expect(run.code).toBe(132);
      expect(run.stderr).toContain('Program off is currently disabled in config.');
    }
    expect((await t.usrsvc(['status', 'off'])).code).toBe(1);
  });

  it('133 (PROGRAM_UNDEFINED) for a program that is not configured, also with --json', async () => {
    t = makeCliTestHome({ web: { command: uniqueSleep() } });
    const run = await t.usrsvc(['start', 'nosuch']);
    expect(run.code).toBe(133);
    expect(run.stderr).toContain('No such program: nosuch');
    const json = await t.usrsvc(['status', 'nosuch', '--json']);
    expect(json.code).toBe(133);
    expect(JSON.parse(json.stdout)).toMatchObject({ name: 'nosuch', code: 133, codeName: 'PROGRAM_UNDEFINED', running: false });
  });

  it('134 (PROGRAM_EXITED_UNEXPECTEDLY) with the tail of its stderr, for a program that dies within success_seconds', async () => {
    t = makeCliTestHome((home) => {
      const script = home.write('bin/dies.sh', 'echo "cannot open the frobnicator" >&2\nsleep 0.3\nexit 3\n');
      return { dies: { command: `/bin/sh ${script}`, success_seconds: 1.5 } };
    });
    const run = await t.usrsvc(['start', 'dies']);
    expect(run.code).toBe(134);
    expect(run.stderr).toContain('Failed to start dies! Err=134 (PROGRAM_EXITED_UNEXPECTEDLY)');
    expect(run.stderr).toContain('cannot open the frobnicator');
  });

  it('137 (PROGRAM_FAILED_TO_LAUNCH) for a command that cannot run', async () => {
    t = makeCliTestHome({ missing: { command: '/nonexistent/usrsvc-test-program' } });
    const run = await t.usrsvc(['start', 'missing']);
    expect(run.code).toBe(137);
    expect(run.stderr).toContain('Failed to start missing! Err=137 (PROGRAM_FAILED_TO_LAUNCH)');
  });

  it('138 (HELP_MESSAGE) for --help, -h, --version and --readme', async () => {
    t = makeCliTestHome({});
    const help = await t.usrsvc(['--help']);
    expect(help.code).toBe(138);
    expect(help.stdout).toContain('Usage: usrsvc [options] start|stop|restart|status NAME|all');
    expect(help.stdout).toContain('--parallel');
    expect((await t.usrsvc(['-h'])).code).toBe(138);
    const version = await t.usrsvc(['--version']);
    expect(version.code).toBe(138);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const readme = await t.usrsvc(['--readme']);
    expect(readme.code).toBe(138);
    expect(readme.stdout).toMatch(/^# usrsvc/);
  });

  it('1 with the usage for a missing action, a missing name or an unknown option', async () => {
    t = makeCliTestHome({});
    const cases: Array<[string[], string]> = [
      [[], 'Missing action'],
      [['start'], '"usrsvc start" needs a program name or "all"'],
      [['status', 'x', '--bogus'], 'Unknown argument: bogus'],
    ];
    for (const [args, message] of cases) {
      const run = await t.usrsvc(args);
      expect(run.code, args.join(' ')).toBe(1);
      expect(run.stderr).toContain('usrsvc');
      expect(run.stderr).toContain(message);
      expect(run.stdout).toBe('');
    }
  });

  it('1 with the usage, and nothing done, for extra arguments after NAME, for every action', async () => {
    t = makeCliTestHome({ web: { command: uniqueSleep() } });
    for (const args of [
      ['start', 'web', 'extra'],
      ['stop', 'web', 'extra'],
      ['restart', 'web', 'extra', 'more'],
      ['status', 'web', 'extra'],
      ['-P', 'start', 'all', 'extra'],
      ['start', 'web', '--json', 'extra'],
      ['frobnicate', 'web', 'extra'],
    ]) {
      const run = await t.usrsvc(args);
      expect(run.code, args.join(' ')).toBe(1);
      expect(run.stderr).toContain('Usage: usrsvc [options] start|stop|restart|status NAME|all');
      expect(run.stderr).toMatch(/Too many arguments: "extra"/);
      expect(run.stdout).toBe('');
      expect(fs.existsSync(t.pidfiles.web!), args.join(' ')).toBe(false);
    }
  });

  it('prints config warnings on one line each, as @usrsvc/config formats them, and still acts', async () => {
    t = makeCliTestHome({ good: { command: uniqueSleep() } });
    const file = t.home.write('cfg/amp.cfg', `[Program:amp]\ncommand = ${uniqueSleep()} &\npidfile = ${t.home.path('amp.pid')}\nstdout = ${t.home.path('amp.log')}\n`);
    const run = await t.usrsvc(['status', 'good']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `usrsvc: warning: ${file}:2: [Program:amp] command: the trailing "&" was dropped: usrsvc runs the program in the background itself (remove the "&")\n`,
    );
  });
});

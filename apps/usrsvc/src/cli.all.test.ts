import { isRunning, readPidfile } from '@usrsvc/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { type CliTestHome, makeCliTestHome } from './test-support/cliTestHome.js';
import { uniqueSleep } from './test-support/testConfig.js';

describe('usrsvc ACTION all', () => {
  let t: CliTestHome;
  afterEach(() => t.cleanup());

  function threeProgramsOneBroken(): CliTestHome {
    return makeCliTestHome({
      alpha: { command: uniqueSleep() },
      broken: { command: '/nonexistent/usrsvc-test-program --flag' },
      gamma: { command: uniqueSleep() },
      off: { command: uniqueSleep(), enabled: false },
    });
  }

  for (const mode of [['start', 'all'], ['start', 'all', '-P'], ['--parallel', 'start', 'all']]) {
    it(`${mode.join(' ')}: starts every program, goes on past a failure, exits 1 with a line per failure`, async () => {
      t = threeProgramsOneBroken();
      const run = await t.usrsvc(mode);
      expect(run.code).toBe(1);
      for (const name of ['alpha', 'gamma']) {
        expect(isRunning(readPidfile(t.pidfiles[name]!)!)).toBe(true);
        expect(run.stdout).toContain(`Started ${name}:`);
      }
      expect(readPidfile(t.pidfiles.off!)).toBeUndefined();
      expect(run.stdout).toContain('off is disabled in config: skipped.');
      const failureLines = run.stderr.split('\n').filter((line) => line.includes('failed to start with error'));
      expect(failureLines).toHaveLength(1);
      expect(failureLines[0]).toMatch(/ - broken failed to start with error 137 \(PROGRAM_FAILED_TO_LAUNCH\)$/);
      expect(run.stderr).toContain('Failed to start broken! Err=137 (PROGRAM_FAILED_TO_LAUNCH)');
    });
  }

  it('stop all -P stops every program; status all then exits 1 with a line per program not running', async () => {
    t = makeCliTestHome({ one: { command: uniqueSleep() }, two: { command: uniqueSleep() } });
    expect((await t.usrsvc(['start', 'all'])).code).toBe(0);
    const pids = ['one', 'two'].map((name) => readPidfile(t.pidfiles[name]!)!);

    const status = await t.usrsvc(['status', 'all']);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('one is running:');
    expect(status.stdout).toContain('two is running:');

    const stop = await t.usrsvc(['stop', 'all', '-P']);
    expect(stop.code, stop.stderr).toBe(0);
    for (const pid of pids) expect(isRunning(pid)).toBe(false);

    const after = await t.usrsvc(['status', 'all']);
    expect(after.code).toBe(1);
    expect(after.stderr.split('\n').filter((line) => line.includes('failed to status with error 1 (GENERAL_FAILURE)'))).toHaveLength(2);
  });

  it('--json with all prints one array, in config order', async () => {
    t = makeCliTestHome({ first: { command: uniqueSleep() }, second: { command: uniqueSleep() } });
    const start = await t.usrsvc(['start', 'all', '-P', '--json']);
    expect(start.code).toBe(0);
    const results = JSON.parse(start.stdout);
    expect(results.map((result: { name: string }) => result.name)).toEqual(['first', 'second']);
    expect(results.every((result: { running: boolean; pid: number }) => result.running && result.pid > 1)).toBe(true);

    const status = JSON.parse((await t.usrsvc(['status', 'all', '--json'])).stdout);
    expect(status.map((result: { pid: number }) => result.pid)).toEqual(results.map((result: { pid: number }) => result.pid));
  });

  it('status with no name shows a table of every program', async () => {
    t = makeCliTestHome({ web: { command: uniqueSleep() }, idle: { command: uniqueSleep() }, off: { command: uniqueSleep(), enabled: false } });
    expect((await t.usrsvc(['start', 'web'])).code).toBe(0);
    const pid = readPidfile(t.pidfiles.web!)!;

    const table = await t.usrsvc(['status']);
    expect(table.code).toBe(0);
    const [header, ...rows] = table.stdout.trimEnd().split('\n');
    const row = (name: string) => rows.find((line) => line.startsWith(`${name} `));
    expect(header).toMatch(/^NAME\s+STATE\s+PID\s+UPTIME\s+MEMORY$/);
    expect(rows).toHaveLength(3);
    expect(row('web')).toMatch(new RegExp(`^web\\s+running\\s+${pid}\\s+\\d+s\\s+[\\d.]+ (kB|MB)$`));
    expect(row('idle')).toMatch(/^idle\s+stopped\s+-\s+-\s+-$/);
    expect(row('off')).toMatch(/^off\s+disabled\s+-\s+-\s+-$/);

    const json = JSON.parse((await t.usrsvc(['status', '--json'])).stdout);
    expect(Object.fromEntries(json.map((item: { name: string; running: boolean }) => [item.name, item.running]))).toEqual({
      web: true,
      idle: false,
      off: false,
    });
  });
});

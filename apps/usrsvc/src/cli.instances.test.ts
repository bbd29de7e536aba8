import fs from 'node:fs';
import { instanceProgram, isRunning, procEnviron, readInstanceEvents, readPidfile, waitFor } from '@usrsvc/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { type CliTestHome, makeCliTestHome } from './test-support/cliTestHome.js';

let t: CliTestHome;
afterEach(() => t.cleanup());

const INSTANCES = [0, 1, 2];

/** worker with instances = 3: its own pidfile and stdout per instance, ready once it says so. */
function workers(): CliTestHome {
  const test = makeCliTestHome((home) => ({
    worker: {
      command: instanceProgram(home, home.path('events.log')),
      instances: 3,
      pidfile: home.path('run', 'worker-%(instance)02d.pid'),
      stdout: home.path('logs', 'worker-%(instance)02d.log'),
      ready_check: 'log:instance-ready',
      ready_check_interval: 0.1,
    },
  }));
  delete test.pidfiles.worker;
  for (const k of INSTANCES) test.pidfiles[`worker@${k}`] = test.home.path('run', `worker-0${k}.pid`);
  return test;
}

const pidOf = (k: number) => readPidfile(t.pidfiles[`worker@${k}`]!);

describe('instances = 3', () => {
  it('start NAME starts each instance with its own pidfile, stdout and USRSVC_INSTANCE; status NAME shows each', async () => {
    t = workers();
    const start = await t.usrsvc(['start', 'worker']);
    expect(start.code, start.stderr).toBe(0);
    const pids = INSTANCES.map(pidOf);
    expect(new Set(pids).size).toBe(3);
    for (const k of INSTANCES) {
      const pid = pids[k]!;
      expect(isRunning(pid)).toBe(true);
      expect(procEnviron(pid).USRSVC_INSTANCE).toBe(String(k));
      expect(procEnviron(pid).USRSVC_PROGRAM).toBe(`worker@${k}`);
      expect(fs.readFileSync(t.home.path('logs', `worker-0${k}.log`), 'utf8')).toContain(`instance ${k} pid ${pid}\n`);
    }
    const state = t.home.path('.local', 'state', 'usrsvc');
    expect(fs.readdirSync(`${state}/launches`).sort()).toEqual(['worker@0.json', 'worker@1.json', 'worker@2.json']);
    expect(fs.readdirSync(`${state}/locks`)).toContain('worker@1.lock');

    const status = await t.usrsvc(['status', 'worker']);
    expect(status.code, status.stderr).toBe(0);
    for (const k of INSTANCES) expect(status.stdout).toMatch(new RegExp(`worker@${k} is running:\\s+\\{.*'pid': ${pids[k]},`));
    const table = await t.usrsvc(['status']);
    expect(table.stdout.split('\n').filter((line) => /^\s*worker@\d/.test(line))).toHaveLength(3);
    const json = JSON.parse((await t.usrsvc(['status', 'worker', '--json'])).stdout) as Array<{ name: string; pid: number }>;
    expect(json.map((item) => [item.name, item.pid])).toEqual(INSTANCES.map((k) => [`worker@${k}`, pids[k]]));
  });

  it('stop NAME@k stops only that instance; start NAME starts it again and leaves the others', async () => {
    t = workers();
    expect((await t.usrsvc(['start', 'worker'])).code).toBe(0);
    const [first, second, third] = INSTANCES.map(pidOf);
    const stop = await t.usrsvc(['stop', 'worker@1']);
    expect(stop.code, stop.stderr).toBe(0);
    expect(isRunning(second!)).toBe(false);
    expect([pidOf(0), pidOf(2)]).toEqual([first, third]);
    expect(isRunning(first!) && isRunning(third!)).toBe(true);

    const status = await t.usrsvc(['status', 'worker']);
    expect(status.code).not.toBe(0);
    expect(status.stderr).toMatch(/worker@1 is NOT running \(stopped by user\)/);

    expect((await t.usrsvc(['start', 'worker'])).code).toBe(0);
    expect([pidOf(0), pidOf(2)]).toEqual([first, third]);
    expect(isRunning(pidOf(1)!)).toBe(true);
    expect(pidOf(1)).not.toBe(second);
  });

  it('restart NAME --rolling restarts one at a time, each once the previous is up again', async () => {
    t = workers();
    expect((await t.usrsvc(['start', 'worker'])).code).toBe(0);
    const before = INSTANCES.map(pidOf);
    fs.writeFileSync(t.home.path('events.log'), '');
    const restart = await t.usrsvc(['restart', 'worker', '--rolling']);
    expect(restart.code, restart.stderr).toBe(0);
    expect(restart.stdout).toContain('rolling restart of worker: worker@2 is up again (3/3)');
    const after = INSTANCES.map(pidOf);
    for (const k of INSTANCES) expect(after[k]).not.toBe(before[k]);

    const events = readInstanceEvents(t.home.path('events.log'));
    const at = (k: number, what: string, pid: number) => events.find((e) => e.instance === String(k) && e.what === what && e.pid === pid)!.at;
    for (const k of INSTANCES) {
      expect(at(k, 'stopping', before[k]!)).toBeLessThan(at(k, 'started', after[k]!));
      if (k === 0) continue;
      // Instance k went down only after k-1 was up again: never two down at once.
      expect(at(k, 'stopping', before[k]!)).toBeGreaterThan(at(k - 1, 'ready', after[k - 1]!));
    }
  });

  it('reload and signal take NAME (every instance) and NAME@k (one)', async () => {
    t = workers();
    expect((await t.usrsvc(['start', 'worker'])).code).toBe(0);
    const [first, second, third] = INSTANCES.map(pidOf);
    const reload = await t.usrsvc(['reload', 'worker']);
    expect(reload.code).toBe(1);
    for (const k of INSTANCES) expect(reload.stdout + reload.stderr).toMatch(new RegExp(`worker@${k}\\b.*reload_signal`));

    const signal = await t.usrsvc(['signal', 'worker@1', 'TERM']);
    expect(signal.code, signal.stderr).toBe(0);
    await waitFor('worker@1 to exit on its SIGTERM', () => !isRunning(second!));
    expect(isRunning(first!) && isRunning(third!)).toBe(true);
    expect(readInstanceEvents(t.home.path('events.log')).filter((e) => e.what === 'stopping').map((e) => e.pid)).toEqual([second]);
  });

  it('completion offers NAME and each NAME@k, and --rolling', async () => {
    t = workers();
    const names = await t.usrsvc(['--get-yargs-completions', 'usrsvc', 'restart', 'w']);
    expect(names.stdout.trim().split('\n')).toEqual(['worker', 'worker@0', 'worker@1', 'worker@2']);
    const options = await t.usrsvc(['--get-yargs-completions', 'usrsvc', 'restart', 'worker', '--']);
    expect(options.stdout).toContain('--rolling');
  });

  it('a pidfile that does not vary with the instance is a config error with file, line and key', async () => {
    t = makeCliTestHome({ same: { command: 'sleep 3600', instances: 2, stdout: '/dev/null' } });
    const run = await t.usrsvc(['status']);
    expect(run.code).toBe(130);
    expect(run.stderr).toContain(`${t.home.path('cfg', 'same.cfg')}:3`);
    expect(run.stderr).toMatch(/pidfile.*is the same for every instance \(instances = 2\)/);
  });
});

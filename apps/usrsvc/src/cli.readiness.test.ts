import fs from 'node:fs';
import { freePort, isRunning, readPidfile, type TempHome } from '@usrsvc/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { type CliTestHome, makeCliTestHome } from './test-support/cliTestHome.js';
import { uniqueSleep } from './test-support/testConfig.js';

let t: CliTestHome;
afterEach(() => t.cleanup());

/**
 * A Python program that appends "NAME started T" when it runs, opens PORT after `delay` seconds,
 * then appends "NAME ready T": its own timestamps prove the order of the starts.
 */
function timedServer(home: TempHome, name: string, port: number, delay: number): string {
  const log = home.path('order.log');
  const file = home.write(
    `bin/${name}.py`,
    `import socket, time
def mark(what):
    with open(${JSON.stringify(log)}, 'a') as f: f.write('%s %s %.6f\\n' % (${JSON.stringify(name)}, what, time.time()))
mark('started')
time.sleep(${delay})
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('127.0.0.1', ${port}))
s.listen(5)
mark('ready')
while True: s.accept()[0].close()
`,
  );
  return `/usr/bin/python3 ${file}`;
}

function marks(home: TempHome): Map<string, number> {
  const found = new Map<string, number>();
  for (const line of fs.readFileSync(home.path('order.log'), 'utf8').trim().split('\n')) {
    const [name, what, at] = line.split(' ');
    found.set(`${name} ${what}`, Number(at));
  }
  return found;
}

async function chain(): Promise<CliTestHome> {
  const [dbPort, appPort, webPort] = [await freePort(), await freePort(), await freePort()];
  return makeCliTestHome((home) => ({
    web: { command: timedServer(home, 'web', webPort, 0.1), depends_on: 'app', ready_check: `tcp://127.0.0.1:${webPort}`, ready_check_interval: 0.1 },
    app: { command: timedServer(home, 'app', appPort, 0.5), depends_on: 'db', ready_check: `tcp://127.0.0.1:${appPort}`, ready_check_interval: 0.1 },
    db: { command: timedServer(home, 'db', dbPort, 0.8), ready_check: `tcp://127.0.0.1:${dbPort}`, ready_check_interval: 0.1 },
    other: { command: uniqueSleep() },
  }));
}

function expectChainOrder(home: TempHome): void {
  const at = marks(home);
  expect(at.get('app started')!).toBeGreaterThanOrEqual(at.get('db ready')!);
  expect(at.get('web started')!).toBeGreaterThanOrEqual(at.get('app ready')!);
}

describe('depends_on', () => {
  it('start NAME starts a chain of three in order, each dependency ready before its dependent starts', async () => {
    t = await chain();
    const run = await t.usrsvc(['start', 'web']);
    expect(run.code, run.stderr).toBe(0);
    for (const name of ['db', 'app', 'web']) expect(isRunning(readPidfile(t.pidfiles[name]!)!)).toBe(true);
    expect(readPidfile(t.pidfiles.other!)).toBeUndefined();
    expectChainOrder(t.home);
  });

  it('start all -P follows the order; stop NAME warns about its dependents and leaves them', async () => {
    t = await chain();
    const run = await t.usrsvc(['start', 'all', '-P']);
    expect(run.code, run.stderr).toBe(0);
    expectChainOrder(t.home);
    const webPid = readPidfile(t.pidfiles.web!)!;
    const stop = await t.usrsvc(['stop', 'db']);
    expect(stop.code).toBe(0);
    expect(stop.stderr).toContain('warning: app, web depend on db and are left as they are');
    expect(isRunning(webPid)).toBe(true);
  });

  it('--no-deps starts only the program', async () => {
    t = await chain();
    const run = await t.usrsvc(['start', 'web', '--no-deps']);
    expect(run.code, run.stderr).toBe(0);
    expect(readPidfile(t.pidfiles.db!)).toBeUndefined();
    expect(readPidfile(t.pidfiles.app!)).toBeUndefined();
  });

  it('a failing dependency fails its dependents with 137, naming it; the dependent is never launched', async () => {
    t = makeCliTestHome({
      db: { command: '/nonexistent/usrsvc-test-db' },
      app: { command: uniqueSleep(), depends_on: 'db' },
    });
    const run = await t.usrsvc(['start', 'app']);
    expect(run.code).toBe(137);
    expect(run.stderr).toMatch(/app was not started: dependency db failed: db failed to launch/);
    expect(readPidfile(t.pidfiles.app!)).toBeUndefined();
  });

  it('a cycle is a config error (130) naming the file, the line and the cycle', async () => {
    t = makeCliTestHome({ a: { command: uniqueSleep(), depends_on: 'b' }, b: { command: uniqueSleep(), depends_on: 'a' } });
    const run = await t.usrsvc(['start', 'a']);
    expect(run.code).toBe(130);
    expect(run.stderr).toContain(`${t.home.path('cfg/a.cfg')}:`);
    expect(run.stderr).toContain('depends_on makes a cycle: a -> b -> a');
  });
});

describe('ready_check through the CLI', () => {
  it('start exits 139 naming the check when it never passes, and nothing is left running', async () => {
    const port = await freePort();
    t = makeCliTestHome({ late: { command: uniqueSleep(), ready_check: `tcp://127.0.0.1:${port}`, ready_timeout: 1, ready_check_interval: 0.2 } });
    const run = await t.usrsvc(['start', 'late']);
    expect(run.code).toBe(139);
    expect(run.stderr + run.stdout).toContain(`was not ready within ready_timeout (1 s): tcp://127.0.0.1:${port}: ECONNREFUSED`);
    expect(readPidfile(t.pidfiles.late!)).toBeUndefined();
  });
});

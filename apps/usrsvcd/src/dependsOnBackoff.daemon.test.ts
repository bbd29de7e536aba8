import fs from 'node:fs';
import { waitFor } from '@usrsvc/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { DaemonHarness } from './test-support/daemonHarness.js';

let h: DaemonHarness;
afterEach(async () => {
  await h.cleanup();
});

describe('usrsvcd: depends_on holds crash restarts', () => {
  it('does not restart a dependent while its dependency is in backoff, says so, and restarts it once the dependency runs', async () => {
    h = new DaemonHarness();
    const starts = h.home.path('starts.log');
    const broken = h.home.path('db-broken');
    const program = (name: string, failWhen?: string) =>
      `/usr/bin/python3 ${h.home.write(
        `${name}.py`,
        `import os, sys, time
open(${JSON.stringify(starts)}, 'a').write('${name} %.6f\\n' % time.time())
${failWhen ? `if os.path.exists(${JSON.stringify(failWhen)}): sys.exit(3)\n` : ''}while True: time.sleep(1)
`,
      )}`;
    const startsOf = (name: string) =>
      fs.readFileSync(starts, 'utf8').trim().split('\n').filter((line) => line.startsWith(`${name} `)).map((line) => Number(line.split(' ')[1]));
    const dbPidfile = h.writeProgram('db', program('db', broken), { restart_delay: 2 });
    const appPidfile = h.writeProgram('app', program('app'), { depends_on: 'db' });
    await h.startDaemonAndWait();
    const db = await h.servicePid(dbPidfile);
    const app = await h.servicePid(appPidfile);

    fs.writeFileSync(broken, '');
    process.kill(db, 'SIGKILL');
    await waitFor('db in backoff', async () => (await h.api().program('db')).state.state === 'backoff');
    process.kill(app, 'SIGKILL');
    await waitFor('app held by db', async () => {
      const view = await h.api().program('app');
      return view.state.state === 'not-running' && view.state.why === 'waiting for db (backoff)' ? view : undefined;
    });
    await h.waitForLog(/\(app\) - not starting it yet: waiting for db \(backoff\)\./);
    // db keeps failing its restarts; app is started no more while it does.
    const dbStartsBefore = startsOf('db').length;
    await waitFor('two more failed db starts', () => startsOf('db').length >= dbStartsBefore + 2, { timeoutMs: 30_000 });
    expect(startsOf('app')).toHaveLength(1);
    expect((await h.api().program('app')).state.state).toBe('not-running');

    fs.rmSync(broken);
    const again = await h.servicePid(appPidfile, app, 30_000);
    expect(again).not.toBe(app);
    const dbRuns = await waitFor('db running', async () => {
      const view = await h.api().program('db');
      return view.state.state === 'running' ? view : undefined;
    });
    expect(dbRuns.state.state).toBe('running');
    // app's restart came after db's successful start (its last start line).
    expect(startsOf('app')).toHaveLength(2);
    expect(startsOf('app')[1]!).toBeGreaterThanOrEqual(startsOf('db').at(-1)!);
    expect((await h.api().program('app')).restartCounts.crash).toBe(1);
  });
});

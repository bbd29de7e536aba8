import fs from 'node:fs';
import {
  childrenOf,
  freePort,
  type HomeProcess,
  httpGetBody,
  isRunning,
  isSameLiveProcess,
  NGINX,
  nginxConfig,
  procStat,
  readPidfile,
  waitFor,
  wsgiApp,
} from '@usrsvc/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { type CliTestHome, makeCliTestHome } from './test-support/cliTestHome.js';
import { livePid, startUsrsvcd, stopStartedUsrsvcds } from './test-support/usrsvcd.js';

// Issue 21, point 7, with real daemons through the real CLI while the real usrsvcd runs:
// `usrsvc reload` (gunicorn and nginx on HUP) and gunicorn's USR2 re-exec, followed to its new master.
const PYTHON = '/usr/bin/python3';
const GUNICORN = '/usr/lib/python3/dist-packages/gunicorn';

let t: CliTestHome;
afterEach(async () => {
  await stopStartedUsrsvcds();
  t.cleanup();
});

interface UsrsvcdView {
  state: { state: string; pid?: number };
  restarts: number;
  restartCounts: Record<string, number>;
  settings: { reloadSignal: string | null };
}

/** What `usrsvc status NAME --json` says, and usrsvcd's view in it. */
async function statusJson(name: string): Promise<{ running: boolean; pid?: number; usrsvcd?: UsrsvcdView }> {
  const run = await t.usrsvc(['status', name, '--json']);
  return JSON.parse(run.stdout);
}

/** Waits until usrsvcd shows NAME running as `pid`; returns its view. */
function runningAs(name: string, pid: number, timeoutMs = 20_000): Promise<UsrsvcdView> {
  return waitFor(`usrsvcd to show ${name} running as ${pid}`, async () => {
    const status = await statusJson(name);
    return status.running && status.pid === pid && status.usrsvcd?.state.state === 'running' && status.usrsvcd.state.pid === pid && status.usrsvcd;
  }, { timeoutMs });
}

/** usrsvcd's log, which the test config sends to HOME/usrsvcd.log. */
const daemonLog = () => (fs.existsSync(t.home.path('usrsvcd.log')) ? fs.readFileSync(t.home.path('usrsvcd.log'), 'utf8') : '');

/** `count` live children of `parent` none of which is in `old`, tracked for cleanup. */
function freshChildren(parent: number, count: number, old: HomeProcess[] = [], titlePrefix?: string): Promise<HomeProcess[]> {
  return waitFor(`${count} new children of ${parent}`, () => {
    const now = childrenOf(parent, titlePrefix);
    if (now.length !== count || old.some(isSameLiveProcess)) return undefined;
    for (const child of now) t.reaper.track(child.pid);
    return now;
  }, { timeoutMs: 30_000 });
}

/** GETs `path` until stopped: every answer that was not 200 with `body` is kept. */
function keepAsking(port: number, body: string): { stop(): Promise<{ asked: number; failed: (string | undefined)[] }> } {
  let running = true;
  let asked = 0;
  const failed: (string | undefined)[] = [];
  const loop = (async () => {
    while (running) {
      const answer = await httpGetBody(port, '/', 10_000);
      asked += 1;
      if (answer !== body) failed.push(answer);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return { asked, failed };
    },
  };
}

function gunicornHome(settings: (home: CliTestHome['home'], port: number) => Record<string, string>, port: number): void {
  expect(fs.existsSync(GUNICORN), `${GUNICORN} is missing: install Debian's python3-gunicorn`).toBe(true);
  t = makeCliTestHome((home) => {
    home.write('app/hello.py', wsgiApp('ok\n'));
    return {
      gun: {
        command: `${PYTHON} -m gunicorn --workers 2 --bind 127.0.0.1:${port} hello:application`,
        directory: home.path('app'),
        ...settings(home, port),
      },
    };
  });
  fs.appendFileSync(t.home.path('usrsvc.cfg'), `usrsvcd_stdout = ${t.home.path('usrsvcd.log')}\n`);
}

describe('usrsvc reload and signal of real daemons, with usrsvcd running', () => {
  it('gunicorn, reload_signal = HUP: usrsvc reload exits 0; same master, new workers, no restart, no crash, HTTP answered throughout', async () => {
    const port = await freePort();
    gunicornHome(() => ({ reload_signal: 'HUP' }), port);
    await startUsrsvcd(t);
    const master = await livePid(t.pidfiles.gun!);
    const workers = await freshChildren(master, 2);
    await waitFor('gunicorn to serve', async () => (await httpGetBody(port)) === 'ok\n', { timeoutMs: 30_000 });
    const before = await runningAs('gun', master);

    const asking = keepAsking(port, 'ok\n');
    const reloaded = await t.usrsvc(['reload', 'gun']);
    expect(reloaded.code, reloaded.stderr).toBe(0);
    expect(`${reloaded.stdout}${reloaded.stderr}`).toContain(`sent SIGHUP to gun [${master}]`);
    await freshChildren(master, 2, workers);
    await waitFor('the new workers to serve', async () => (await httpGetBody(port)) === 'ok\n', { timeoutMs: 30_000 });
    const { asked, failed } = await asking.stop();
    expect(asked).toBeGreaterThan(0);
    expect(failed).toEqual([]);

    const after = await runningAs('gun', master);
    expect(after.restarts).toBe(before.restarts);
    expect(after.restartCounts).toEqual(before.restartCounts);
    expect(isRunning(master)).toBe(true);
    expect(daemonLog()).not.toMatch(/\(gun\) - has stopped running/);
  });

  it('gunicorn, usrsvc signal USR2 then TERM to the old master: usrsvcd follows the new master gunicorn promotes, not restarted', async () => {
    const port = await freePort();
    gunicornHome((home, p) => ({
      command: `${PYTHON} -m gunicorn --workers 2 --bind 127.0.0.1:${p} --pid ${home.path('run', 'gun.pid')} hello:application`,
      autopid: 'False',
      // The re-executed master runs gunicorn/__main__.py rather than `-m gunicorn`: the pattern matches both.
      proctitle_re: `gunicorn.* --bind 127\\.0\\.0\\.1:${p} `,
    }), port);
    const pidfile = t.pidfiles.gun!;
    await startUsrsvcd(t);
    const old = await livePid(pidfile);
    t.reaper.track(old);
    const oldWorkers = await freshChildren(old, 2);
    await waitFor('gunicorn to serve', async () => (await httpGetBody(port)) === 'ok\n', { timeoutMs: 30_000 });
    const before = await runningAs('gun', old);

    const usr2 = await t.usrsvc(['signal', 'gun', 'USR2']);
    expect(usr2.code, usr2.stderr).toBe(0);
    // gunicorn forks and re-executes a new master, which writes PIDFILE.2 until it is promoted.
    const successor = await livePid(`${pidfile}.2`);
    t.reaper.track(successor);
    expect(procStat(successor)?.ppid).toBe(old);
    await freshChildren(successor, 2);
    expect(readPidfile(pidfile)).toBe(old);

    const term = await t.usrsvc(['signal', 'gun', 'TERM']);
    expect(term.code, term.stderr).toBe(0);
    expect(`${term.stdout}${term.stderr}`).toContain(`sent SIGTERM to gun [${old}]`);
    await waitFor('the old master to exit', () => !isRunning(old) && oldWorkers.every((w) => !isSameLiveProcess(w)), { timeoutMs: 30_000 });
    // Promoted, the new master moves its PID to PIDFILE.
    await waitFor('the new master in the pidfile', () => readPidfile(pidfile) === successor, { timeoutMs: 20_000 });
    const after = await runningAs('gun', successor);
    expect(after.restarts).toBe(before.restarts);
    expect(after.restartCounts).toEqual(before.restartCounts);
    expect(await httpGetBody(port)).toBe('ok\n');
    expect(daemonLog()).toMatch(new RegExp(`\\(gun\\) - .*pid ${old} exited and its pidfile names pid ${successor}: following the program there`));
    expect(daemonLog()).not.toMatch(/\(gun\) - has stopped running/);
    expect(daemonLog()).not.toMatch(/\(gun\) - .*start attempt/);
    // usrsvc itself, without the daemon's view, finds the new master too.
    const status = await t.usrsvc(['status', 'gun']);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain(`'pid': ${successor}`);
  });

  it('nginx, reload_signal = HUP: usrsvc reload exits 0; same master, new workers, the changed config answered, no restart', async () => {
    expect(fs.existsSync(NGINX), `${NGINX} is missing: install Debian's nginx-light`).toBe(true);
    const port = await freePort();
    t = makeCliTestHome((home) => {
      const dir = home.path('nginx');
      home.write('nginx/nginx.conf', nginxConfig({ dir, port, pidfile: home.path('run', 'web.pid') }));
      return {
        web: {
          command: `${NGINX} -p ${dir} -c ${dir}/nginx.conf -e ${dir}/error.log`,
          autopid: 'False',
          proctitle_re: `^nginx: master process .*${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`,
          reload_signal: 'HUP',
          stop_as_group: 'True',
        },
      };
    });
    fs.appendFileSync(t.home.path('usrsvc.cfg'), `usrsvcd_stdout = ${t.home.path('usrsvcd.log')}\n`);
    const dir = t.home.path('nginx');
    await startUsrsvcd(t);
    const master = await livePid(t.pidfiles.web!);
    const workers = await freshChildren(master, 2, [], 'nginx: worker process');
    await waitFor('nginx to serve', async () => (await httpGetBody(port)) === 'ok\n', { timeoutMs: 30_000 });
    expect(await httpGetBody(port, '/version')).toBeUndefined();
    const before = await runningAs('web', master);

    t.home.write('nginx/nginx.conf', nginxConfig({ dir, port, pidfile: t.pidfiles.web!, locations: { '/': 'ok\n', '/version': 'two\n' } }));
    const reloaded = await t.usrsvc(['reload', 'web']);
    expect(reloaded.code, reloaded.stderr).toBe(0);
    expect(`${reloaded.stdout}${reloaded.stderr}`).toContain(`sent SIGHUP to web [${master}]`);
    await freshChildren(master, 2, workers, 'nginx: worker process');
    await waitFor('the new location to answer', async () => (await httpGetBody(port, '/version')) === 'two\n', { timeoutMs: 30_000 });
    expect(await httpGetBody(port)).toBe('ok\n');

    const after = await runningAs('web', master);
    expect(after.restarts).toBe(before.restarts);
    expect(after.restartCounts).toEqual(before.restartCounts);
    expect(after.settings.reloadSignal).toBe('SIGHUP');
    expect(daemonLog()).not.toMatch(/\(web\) - has stopped running/);
  });
});

import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readProcess } from '@usrsvc/procscan';
import { readPidfile, sleep, waitFor } from '@usrsvc/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { DaemonHarness, isLive } from './test-support/daemonHarness.js';

// Issue 6: every monitor kind against the real daemon and real programs. Short intervals keep the
// suite fast; waits are generous and nothing asserts a duration beyond a lower bound.
const MAIN = 'monitor_interval = 0.3\nmonitor_timeout = 2';

let h: DaemonHarness;
const closers: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
  await h.cleanup();
});

/** Appends a [[Monitoring]] subsection to conf.d/NAME.cfg. */
function monitoring(name: string, keys: Record<string, string | number>): void {
  const lines = Object.entries(keys).map(([k, v]) => `    ${k} = ${v}`);
  fs.appendFileSync(`${h.confDir}/${name}.cfg`, `  [[Monitoring]]\n${lines.join('\n')}\n`);
}

const restartLine = (name: string, monitor: string) => new RegExp(`\\(${name}\\) - WARNING: MONITOR: ${monitor} asks for a restart of pid (\\d+): (.*)\\. Restarting\\.$`);

describe('built-in monitors in the real daemon', () => {
  it('restarts a program whose activity file does not exist', async () => {
    h = new DaemonHarness();
    h.writeMain(MAIN);
    const missing = h.home.path('never-written');
    const pidfile = h.writeProgram('nofile', h.uniqueSleep());
    monitoring('nofile', { monitor_after: 0, activityfile: missing, activityfile_limit: 1 });
    expect((await h.runCli(['checkconfig'])).code).toBe(0);
    await h.startDaemonAndWait();
    const first = await h.servicePid(pidfile);

    const [line] = await h.waitForLog(restartLine('nofile', 'activityfile'));
    const match = restartLine('nofile', 'activityfile').exec(line!)!;
    expect(Number(match[1])).toBe(first);
    expect(match[2]).toBe(`activity file ${missing} does not exist`);
    const second = await h.servicePid(pidfile, first);
    expect(second).not.toBe(first);
    expect(isLive(first)).toBe(false);
  });

  it('keeps a program whose activity folder keeps changing, and restarts it once the folder goes quiet', async () => {
    h = new DaemonHarness();
    h.writeMain(MAIN);
    const dir = h.home.path('activity.d');
    fs.mkdirSync(dir);
    const beat = () => fs.writeFileSync(`${dir}/beat`, String(Date.now()));
    beat();
    const pidfile = h.writeProgram('busy', h.uniqueSleep());
    // A limit 16 times the heartbeat: a busy machine that delays a few beats does not look idle.
    monitoring('busy', { monitor_after: 0, activityfile: dir, activityfile_limit: 4 });
    // Only an entry's content changes (the folder's own mtime does not): the entry's mtime counts.
    const timer = setInterval(beat, 250);
    closers.push(() => clearInterval(timer));
    await h.startDaemonAndWait();
    const first = await h.servicePid(pidfile);

    await sleep(3_000);
    expect(readPidfile(pidfile)).toBe(first);
    expect(isLive(first)).toBe(true);
    expect(h.logLines(/MONITOR: activityfile asks/)).toHaveLength(0);

    clearInterval(timer);
    const [line] = await h.waitForLog(restartLine('busy', 'activityfile'));
    expect(line).toContain(`activity file ${dir} not modified for`);
    expect(line).toContain('activityfile_limit is 4 s');
    expect(await h.servicePid(pidfile, first)).not.toBe(first);
  });

  it('restarts a program that grows past rss_limit', async () => {
    h = new DaemonHarness();
    h.writeMain(MAIN);
    // The size comes as an argument: perl folds a constant "a" x N at compile time.
    const grow = h.home.write('grow.pl', 'my $x = "a" x $ARGV[0];\nsleep 600;\n');
    const pidfile = h.writeProgram('fat', `perl ${grow} 60000000`);
    monitoring('fat', { monitor_after: 0, rss_limit: 30000 });
    await h.startDaemonAndWait();
    const first = await h.servicePid(pidfile);

    const [line] = await h.waitForLog(restartLine('fat', 'rss'));
    const reason = restartLine('fat', 'rss').exec(line!)![2]!;
    const rss = Number(/^RSS (\d+) kB of pid (\d+) exceeds rss_limit of 30000 kB$/.exec(reason)?.[1]);
    expect(rss).toBeGreaterThan(30000);
    expect(reason).toContain(`pid ${first}`);
    expect(await h.servicePid(pidfile, first)).not.toBe(first);
  });

  it('holds monitoring back for monitor_after seconds', async () => {
    h = new DaemonHarness();
    h.writeMain(MAIN);
    const pidfile = h.writeProgram('late', h.uniqueSleep());
    monitoring('late', { monitor_after: 3, activityfile: h.home.path('missing'), activityfile_limit: 1 });
    await h.startDaemonAndWait();
    const first = await h.servicePid(pidfile);

    // The activity file is missing from the start, but monitor_after = 3 s protects the new process:
    // checked 2 s after the process started (not after we saw it, which a busy machine delays).
    const startedAt = readProcess(first)!.startTime;
    await sleep(startedAt + 2_000 - Date.now());
    if (Date.now() < startedAt + 3_000) {
      expect(h.logLines(/MONITOR: activityfile asks/)).toHaveLength(0);
      expect(readPidfile(pidfile)).toBe(first);
    }

    await h.waitForLog(restartLine('late', 'activityfile'));
    // Counted from the process's start, not from when a busy machine let us see it; 100 ms for the
    // daemon and this test each working out the boot time on its own.
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(2_900);
    expect(await h.servicePid(pidfile, first)).not.toBe(first);
  });
});

describe('monitor plugins in the real daemon', () => {
  it('@usrsvc/monitor-http restarts a program after http_failures failed health checks in a row', async () => {
    h = new DaemonHarness();
    let status = 200;
    const agents: string[] = [];
    const server = http.createServer((req, res) => {
      agents.push(req.headers['user-agent'] ?? '');
      res.statusCode = status;
      res.end('health');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/health`;

    // Resolved by name from usrsvcd's own install location (a workspace devDependency).
    h.writeMain(`${MAIN}\nmonitor_plugins = @usrsvc/monitor-http`);
    const pidfile = h.writeProgram('api', h.uniqueSleep());
    monitoring('api', { monitor_after: 0, http_url: url, http_failures: 3, http_timeout: 1 });
    const check = await h.runCli(['checkconfig']);
    expect(check.code, check.stdout + check.stderr).toBe(0);
    await h.startDaemonAndWait();
    const first = await h.servicePid(pidfile);

    await waitFor('two checks', () => agents.length >= 2, { timeoutMs: 30_000 });
    expect(agents[0]).toMatch(/usrsvc-monitor-http/);
    expect(readPidfile(pidfile)).toBe(first);
    expect(h.logLines(/MONITOR: http asks/)).toHaveLength(0);

    status = 500;
    const [line] = await h.waitForLog(restartLine('api', 'http'));
    expect(line).toContain(`${url} failed 3 times in a row (http_failures = 3); last: status 500`);
    expect(await h.servicePid(pidfile, first)).not.toBe(first);
  });

  it('loads a plugin package from node_modules in $HOME and restarts when its check asks', async () => {
    h = new DaemonHarness();
    const pkg = h.home.path('node_modules/my-monitor');
    fs.mkdirSync(pkg, { recursive: true });
    fs.writeFileSync(`${pkg}/package.json`, JSON.stringify({ name: 'my-monitor', version: '1.0.0', type: 'module', exports: { '.': { import: './index.js' } } }));
    fs.writeFileSync(
      `${pkg}/index.js`,
      `// Asks once, for the first process it sees, to restart it.
let first;
export default {
  name: 'mine',
  keys: { my_check: { type: 'boolean', description: 'turn the monitor on' } },
  create(program) {
    if (!program.monitoring.my_check) return undefined;
    return {
      name: 'mine',
      check({ process }) {
        first ??= process.pid;
        return process.pid === first ? { restart: true, reason: 'my-monitor wants pid ' + process.pid + ' gone' } : { restart: false };
      },
    };
  },
};
`,
    );
    h.writeMain(`${MAIN}\nmonitor_plugins = my-monitor`);
    const pidfile = h.writeProgram('custom', h.uniqueSleep());
    monitoring('custom', { monitor_after: 0, my_check: 'True' });
    const check = await h.runCli(['checkconfig']);
    expect(check.code, check.stdout + check.stderr).toBe(0);
    await h.startDaemonAndWait();
    const first = await h.servicePid(pidfile);

    const [line] = await h.waitForLog(restartLine('custom', 'mine'));
    expect(line).toContain(`MONITOR: mine asks for a restart of pid ${first}: my-monitor wants pid ${first} gone`);
    const second = await h.servicePid(pidfile, first);
    // The plugin is satisfied with the new process: no further restart.
    await sleep(1_500);
    expect(readPidfile(pidfile)).toBe(second);
    expect(h.logLines(restartLine('custom', 'mine'))).toHaveLength(1);
  });

  it('logs a hung check as a timeout while other monitors and crash restarts keep working', async () => {
    h = new DaemonHarness();
    const plugin = h.home.write(
      'hang-plugin.mjs',
      `const asked = new Set();
export default {
  name: 'testmon',
  keys: { testmon: { type: 'string', description: 'hang | once' } },
  create(program) {
    const mode = program.monitoring.testmon;
    if (!mode) return undefined;
    return {
      name: 'testmon',
      check({ process }) {
        if (mode === 'hang') return new Promise(() => undefined);  // never settles, ignores the signal
        if (asked.has(program.name)) return { restart: false };
        asked.add(program.name);
        return { restart: true, reason: 'once for pid ' + process.pid };
      },
    };
  },
};
`,
    );
    h.writeMain(`monitor_interval = 0.3\nmonitor_timeout = 1\nmonitor_plugins = ${plugin}`);
    const hungPidfile = h.writeProgram('hung', h.uniqueSleep());
    monitoring('hung', { monitor_after: 0, testmon: 'hang' });
    const otherPidfile = h.writeProgram('other', h.uniqueSleep());
    monitoring('other', { monitor_after: 1, testmon: 'once' });
    const crashPidfile = h.writeProgram('crash', h.uniqueSleep());
    await h.startDaemonAndWait();
    const hung = await h.servicePid(hungPidfile);
    const other = await h.servicePid(otherPidfile);
    const crash = await h.servicePid(crashPidfile);

    await h.waitForLog(new RegExp(`\\(hung\\) - WARNING: MONITOR: testmon timed out \\(1 seconds\\) checking pid ${hung}\\.`));
    // While a check of "hung" is pending: a crash is restarted...
    process.kill(crash, 'SIGKILL');
    expect(await h.servicePid(crashPidfile, crash)).not.toBe(crash);
    // ...and another program's monitor restarts it.
    await h.waitForLog(restartLine('other', 'testmon'));
    expect(await h.servicePid(otherPidfile, other)).not.toBe(other);

    await h.waitForLog(/\(hung\) - WARNING: MONITOR: testmon timed out/, { count: 3 });
    expect(readPidfile(hungPidfile)).toBe(hung);
    expect(isLive(hung)).toBe(true);
    expect(h.logLines(/\(hung\) - .*asks for a restart/)).toHaveLength(0);
  });
});

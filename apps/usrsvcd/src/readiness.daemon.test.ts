import fs from 'node:fs';
import { closedPort, waitFor } from '@usrsvc/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { DaemonHarness, isLive } from './test-support/daemonHarness.js';

let h: DaemonHarness;
afterEach(async () => {
  await h.cleanup();
});

/** A Python program in the temp HOME that speaks sd_notify on $NOTIFY_SOCKET. */
function notifier(name: string, body: string): string {
  const file = h.home.write(
    `${name}.py`,
    `import os, socket, sys, time
sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
def notify(text):
    try: sock.sendto(text.encode(), os.environ['NOTIFY_SOCKET'])
    except OSError: pass
${body}
`,
  );
  return `/usr/bin/python3 ${file}`;
}

describe('usrsvcd: sd_notify watchdog and depends_on', () => {
  it('restarts a notify program that stops sending WATCHDOG=1 (a watchdog timeout, not held back by monitor_after = 30), and shows its STATUS', async () => {
    h = new DaemonHarness();
    h.writeMain('monitor_interval = 0.3\nmonitor_timeout = 2');
    const pinging = h.home.path('keep-pinging');
    fs.writeFileSync(pinging, '');
    const command = notifier(
      'dog',
      `notify('READY=1\\nSTATUS=serving')\nwhile os.path.exists(${JSON.stringify(pinging)}):\n    notify('WATCHDOG=1')\n    time.sleep(0.1)\nwhile True: time.sleep(1)`,
    );
    const pidfile = h.writeProgram('dog', command, { ready_check: 'notify', watchdog_seconds: 2 });
    await h.startDaemonAndWait();
    const first = await h.servicePid(pidfile);
    // The pidfile is written at the launch; the program runs for usrsvcd once its READY=1 is read.
    const view = await waitFor('dog to run', async () => {
      const v = await h.api().program('dog');
      return v.state.state === 'running' ? v : undefined;
    });
    expect(view.readiness).toMatchObject({ check: 'notify', ready: true, status: 'serving' });
    expect(view.dependsOn).toEqual([]);
    fs.rmSync(pinging);
    const [line] = await h.waitForLog(/\(dog\) - WARNING: WATCHDOG: watchdog timeout of pid (\d+): no WATCHDOG=1/);
    expect(line).toContain(`pid ${first}`);
    const second = await h.servicePid(pidfile, first);
    expect(second).not.toBe(first);
    expect(isLive(first)).toBe(false);
    const metrics = await h.api().metrics();
    expect(metrics).toMatch(/usrsvc_program_ready\{program="dog",user="[^"]+"\} 1/);
  });

  it('autostarts a chain of three in dependency order, each after the one before is ready', async () => {
    h = new DaemonHarness();
    const log = h.home.path('order.log');
    const program = (name: string, delay: number) =>
      notifier(name, `open(${JSON.stringify(log)}, 'a').write('%s started %.6f\\n' % ('${name}', time.time()))\ntime.sleep(${delay})\nopen(${JSON.stringify(log)}, 'a').write('%s ready %.6f\\n' % ('${name}', time.time()))\nnotify('READY=1')\nwhile True: time.sleep(1)`);
    // Written dependents first, so that config order alone would start them first.
    const web = h.writeProgram('web', program('web', 0.1), { ready_check: 'notify', depends_on: 'app' });
    const app = h.writeProgram('app', program('app', 0.4), { ready_check: 'notify', depends_on: 'db' });
    const db = h.writeProgram('db', program('db', 0.6), { ready_check: 'notify' });
    await h.startDaemonAndWait();
    for (const pidfile of [db, app, web]) await h.servicePid(pidfile);
    const at = new Map(
      fs.readFileSync(log, 'utf8').trim().split('\n').map((line) => {
        const [name, what, time] = line.split(' ');
        return [`${name} ${what}`, Number(time)] as const;
      }),
    );
    expect(at.get('app started')!).toBeGreaterThanOrEqual(at.get('db ready')!);
    expect(at.get('web started')!).toBeGreaterThanOrEqual(at.get('app ready')!);
    expect(h.log()).toMatch(/\(web\) - not starting it yet: waiting for app \((starting|unobserved|it waits for its own depends_on)\)\./);
  });

  it('shows a start waiting for its ready_check, and treats 139 (not ready) as a failed start', async () => {
    h = new DaemonHarness();
    const port = await closedPort();
    const pidfile = h.writeProgram('late', h.uniqueSleep(), { ready_check: `tcp://127.0.0.1:${port}`, ready_timeout: 3, ready_check_interval: 0.2, restart_delay: 1 });
    await h.startDaemonAndWait();
    const view = await waitFor('the start to wait for its check', async () => {
      const v = await h.api().program('late');
      return v.state.state === 'starting' && v.readiness?.waitingFor ? v : undefined;
    }, { timeoutMs: 30_000 });
    expect(view.readiness!.waitingFor).toMatch(new RegExp(`^waiting for tcp://127\\.0\\.0\\.1:${port}, \\d+ s: ECONNREFUSED$`));
    const [line] = await h.waitForLog(new RegExp(`late \\[(\\d+)\\] was not ready within ready_timeout \\(3 s\\): tcp://127\\.0\\.0\\.1:${port}: ECONNREFUSED`), { timeoutMs: 30_000 });
    // The launch that was not ready was stopped (its whole tree) before the next attempt.
    const notReadyPid = Number(/late \[(\d+)\] was not ready/.exec(line!)![1]);
    expect(isLive(notReadyPid)).toBe(false);
    void pidfile;
  });
});

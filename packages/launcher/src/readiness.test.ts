import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { parseReadyCheck } from '@usrsvc/config';
import { nativeNotifySocket, nativeOrphanSpawn } from '@usrsvc/exitwatch';
import { freePort, isRunning, waitFor } from '@usrsvc/testkit';
import { describe, expect, it } from 'vitest';
import type { NotifyListener } from './NotifyListener.js';
import { readNotifyState } from './NotifyListener.js';
import { ReturnCodes } from './returnCodes.js';
import { startProgram } from './startProgram.js';
import { stopProgram } from './stopProgram.js';
import { useHarness } from './test-support/harness.js';
import { programConfig } from './test-support/programConfig.js';

const notifySocket = nativeNotifySocket();
const h = useHarness({ orphanSpawn: nativeOrphanSpawn(), ...(notifySocket ? { notifySocket } : {}) });

/** A Python program below the test's HOME (its title is unique to the test). */
function python(name: string, body: string): string {
  return h.home.write(`bin/${name}.py`, `import os, socket, sys, time\n${body}\n`, 0o755);
}

const NOTIFY = `
sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
def notify(text):
    sock.sendto(text.encode(), os.environ['NOTIFY_SOCKET'])
`;

function connects(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

it('has the native notify socket available to test', () => {
  expect(notifySocket).toBeTypeOf('function');
});

describe('ready_check = tcp://', () => {
  it('returns once the port opens (after ~2 s), not at success_seconds, and a client connects at once', async () => {
    const port = await freePort();
    const file = python('late', `time.sleep(2)\ns = socket.socket()\ns.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\ns.bind(('127.0.0.1', ${port}))\ns.listen(5)\nwhile True: s.accept()[0].close()`);
    const program = programConfig(h.home, {
      name: 'late',
      command: `/usr/bin/python3 ${file}`,
      successSeconds: 0.3,
      readyCheck: parseReadyCheck(`tcp://127.0.0.1:${port}`),
      readyCheckInterval: 0.1,
    });
    const result = await startProgram(program, h.ctx, h.track);
    expect(result).toMatchObject({ code: ReturnCodes.SUCCESS, outcome: 'started', readiness: { check: `tcp://127.0.0.1:${port}` } });
    expect(result.readiness!.readyAfterMs).toBeGreaterThanOrEqual(1900);
    expect(result.message).toMatch(/ready after \d+\.\d s/);
    expect(await connects(port)).toBe(true);
  });

  it('fails with 139 after ready_timeout when the port never opens, and leaves nothing running', async () => {
    const port = await freePort();
    const file = python('never', 'import subprocess\nchild = subprocess.Popen(["/bin/sleep", "300"])\ntime.sleep(300)');
    const program = programConfig(h.home, {
      name: 'never',
      command: `/usr/bin/python3 ${file}`,
      successSeconds: 0.3,
      readyCheck: parseReadyCheck(`tcp://127.0.0.1:${port}`),
      readyCheckInterval: 0.2,
      readyTimeout: 2,
    });
    let launched = 0;
    const result = await startProgram(program, h.ctx, { onLaunched: (pid) => { launched = pid; h.reaper.track(pid); } });
    expect(result).toMatchObject({ code: ReturnCodes.PROGRAM_NOT_READY, outcome: 'not-ready', readiness: { last: 'ECONNREFUSED' } });
    expect(result.message).toContain(`was not ready within ready_timeout (2 s): tcp://127.0.0.1:${port}: ECONNREFUSED`);
    expect(isRunning(launched)).toBe(false);
    expect(fs.existsSync(program.pidfile)).toBe(false);
    const left = spawnSync('pgrep', ['-u', String(process.getuid!()), '-f', file]).stdout.toString().trim();
    expect(left).toBe('');
  });
});

describe('other ready checks', () => {
  it('http:// with ready_check_status, exec:, and log: each wait for their condition', async () => {
    const port = await freePort();
    const web = python('web', `time.sleep(1)\nfrom http.server import HTTPServer, BaseHTTPRequestHandler\nclass H(BaseHTTPRequestHandler):\n    def do_GET(self):\n        self.send_response(401); self.end_headers()\nprint('now serving', flush=True)\nHTTPServer(('127.0.0.1', ${port}), H).serve_forever()`);
    const base = { successSeconds: 0.2, readyCheckInterval: 0.1, readyTimeout: 20 };
    const http = programConfig(h.home, { name: 'web', command: `/usr/bin/python3 ${web}`, ...base, readyCheck: parseReadyCheck(`http://127.0.0.1:${port}/health`), readyCheckStatus: [{ from: 401, to: 401 }] });
    const started = await startProgram(http, h.ctx, h.track);
    expect(started).toMatchObject({ code: 0, outcome: 'started' });
    expect(started.readiness!.readyAfterMs).toBeGreaterThanOrEqual(900);
    await stopProgram(http, h.ctx);

    const logged = programConfig(h.home, { name: 'web2', command: `/usr/bin/python3 ${web}`, ...base, readyCheck: parseReadyCheck('log:^now (?P<what>serving)$') });
    const byLog = await startProgram(logged, h.ctx, h.track);
    expect(byLog).toMatchObject({ code: 0, readiness: { check: 'log:^now (?P<what>serving)$' } });
    expect(byLog.readiness!.readyAfterMs).toBeGreaterThanOrEqual(900);
    await stopProgram(logged, h.ctx);

    const flag = h.home.path('flag');
    const maker = python('maker', `time.sleep(1)\nopen(${JSON.stringify(flag)}, 'w').close()\ntime.sleep(300)`);
    const exec = programConfig(h.home, { name: 'maker', command: `/usr/bin/python3 ${maker}`, ...base, readyCheck: parseReadyCheck(`exec:/usr/bin/test -f ${flag}`) });
    const byExec = await startProgram(exec, h.ctx, h.track);
    expect(byExec).toMatchObject({ code: 0, outcome: 'started' });
    expect(fs.existsSync(flag)).toBe(true);
  });
});

describe('ready_check = notify', () => {
  it('waits for READY=1, keeps STATUS, and drops a forged datagram from an unrelated process', async () => {
    const go = h.home.path('go');
    const file = python(
      'notifier',
      `${NOTIFY}notify('STATUS=warming up')\nwhile not os.path.exists(${JSON.stringify(go)}): time.sleep(0.05)\nnotify('STATUS=real\\nREADY=1')\nwhile True:\n    time.sleep(0.2)\n    notify('WATCHDOG=1')`,
    );
    const program = programConfig(h.home, { name: 'notifier', command: `/usr/bin/python3 ${file}`, successSeconds: 0.2, readyCheck: parseReadyCheck('notify'), readyTimeout: 30, watchdogSeconds: 5 });
    let kept: NotifyListener | undefined;
    const starting = startProgram(program, h.ctx, { ...h.track, keepNotify: (listener) => { kept = listener; } });
    const socketPath = h.home.path('.local/state/usrsvc/notify/notifier.sock');
    await waitFor('STATUS=warming up', () => readNotifyState('notifier', { stateDir: h.home.path('.local/state/usrsvc'), uid: process.getuid!() })?.status === 'warming up', { timeoutMs: 30_000 });
    // An unrelated process of the same user (a child of the test, not of the program).
    const forged = spawnSync('/usr/bin/python3', ['-c', `import socket; socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM).sendto(b'STATUS=forged\\nREADY=1', ${JSON.stringify(socketPath)})`]);
    expect(forged.status).toBe(0);
    const oversized = spawnSync('/usr/bin/python3', ['-c', `import socket; socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM).sendto(b'READY=1\\n' + b'x' * 5000, ${JSON.stringify(socketPath)})`]);
    expect(oversized.status).toBe(0);
    fs.writeFileSync(go, '');
    const result = await starting;
    expect(result).toMatchObject({ code: 0, outcome: 'started', readiness: { check: 'notify', status: 'real' } });
    expect(kept).toBeDefined();
    expect(kept!.state).toMatchObject({ ready: true, status: 'real', dropped: 2 });
    const env = fs.readFileSync(`/proc/${result.process!.pid}/environ`, 'utf8').split('\0');
    expect(env).toContain(`NOTIFY_SOCKET=${socketPath}`);
    expect(env).toContain('WATCHDOG_USEC=5000000');
    const before = kept!.state.lastWatchdogMs!;
    await waitFor('a WATCHDOG=1 ping', () => kept!.state.lastWatchdogMs! > before);
    kept!.close();
    expect(fs.existsSync(socketPath)).toBe(false);
  });

  it('fails clearly, launching nothing, without the native notify socket', async () => {
    const program = programConfig(h.home, { name: 'nonative', command: '/bin/sleep 301', readyCheck: parseReadyCheck('notify') });
    const { notifySocket: _, ...withoutNative } = h.ctx;
    let launched = false;
    const result = await startProgram(program, { ...withoutNative, notifyUnavailable: 'not built' }, { onLaunched: () => { launched = true; } });
    expect(result).toMatchObject({ code: ReturnCodes.PROGRAM_FAILED_TO_LAUNCH, outcome: 'failed-to-launch' });
    expect(result.message).toBe("nonative was not launched: ready_check = notify needs usrsvc's native addon to receive sd_notify datagrams: not built");
    expect(launched).toBe(false);
  });

  it('MAINPID=N from the program makes N the main process and the pidfile pid', async () => {
    const file = python(
      'forker',
      `${NOTIFY}child = os.fork()
if child == 0:
    time.sleep(300)
    sys.exit(0)
notify('MAINPID=%d\\nREADY=1' % child)
time.sleep(300)`,
    );
    const program = programConfig(h.home, { name: 'forker', command: `/usr/bin/python3 ${file}`, successSeconds: 0.2, readyCheck: parseReadyCheck('notify'), readyTimeout: 30 });
    let launched = 0;
    const result = await startProgram(program, h.ctx, { onLaunched: (pid) => { launched = pid; h.reaper.track(pid); } });
    expect(result, result.message).toMatchObject({ code: 0, outcome: 'started' });
    h.reaper.track(result.process!.pid);
    expect(result.process!.pid).not.toBe(launched);
    expect(fs.readFileSync(`/proc/${result.process!.pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]).toBe(String(launched));
    expect(Number(fs.readFileSync(program.pidfile, 'utf8'))).toBe(result.process!.pid);
  });
});

import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { freePort, isRunning, readPidfile } from '@usrsvc/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { type CliTestHome, makeCliTestHome } from './test-support/cliTestHome.js';
import { BIN } from './test-support/runCli.js';

// Real daemons that speak sd_notify when NOTIFY_SOCKET is set, each started with ready_check =
// notify: `usrsvc start` must return only once they accept connections.
let t: CliTestHome;
afterEach(() => t.cleanup());

const POSTGRES_BIN = '/usr/lib/postgresql/15/bin';

/** Sends `request` right after connecting and resolves with the first bytes of the answer. */
function ask(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => socket.write(request));
    socket.setEncoding('utf8');
    socket.once('data', (data: string) => {
      socket.destroy();
      resolve(data);
    });
    socket.once('error', reject);
  });
}

describe('ready_check = notify with real daemons', () => {
  it('redis --supervised systemd: a client gets PONG right after every one of 20 starts', { timeout: 600_000 }, async () => {
    const port = await freePort();
    t = makeCliTestHome((home) => ({
      redis: {
        command: `/usr/bin/redis-server --port ${port} --bind 127.0.0.1 --supervised systemd --save "" --appendonly no --dir ${home.dir}`,
        // redis retitles itself "redis-server HOST:PORT"
        proctitle_re: `^/usr/bin/redis-server 127\\.0\\.0\\.1:${port}`,
        ready_check: 'notify',
        success_seconds: 0.1,
      },
    }));
    for (let run = 0; run < 20; run++) {
      const start = await t.usrsvc(['start', 'redis']);
      expect(start.code, start.stderr).toBe(0);
      expect(await ask(port, 'PING\r\n')).toBe('+PONG\r\n');
      if (run === 0) {
        const status = await t.usrsvc(['status', 'redis']);
        expect(status.stdout).toMatch(/ {2}STATUS: Ready to accept connections/);
      }
      const stop = await t.usrsvc(['stop', 'redis']);
      expect(stop.code, stop.stderr).toBe(0);
    }
  });

  it('gunicorn (its arbiter sends READY=1): an HTTP request right after each of 5 starts is answered', { timeout: 300_000 }, async () => {
    const port = await freePort();
    t = makeCliTestHome((home) => {
      home.write('app/hello.py', 'def app(environ, start_response):\n    start_response("200 OK", [("Content-Type", "text/plain")])\n    return [b"hello"]\n');
      return {
        web: {
          command: `/usr/bin/python3 -m gunicorn --bind 127.0.0.1:${port} --workers 1 --chdir ${home.path('app')} hello:app`,
          ready_check: 'notify',
          success_seconds: 0.1,
        },
      };
    });
    for (let run = 0; run < 5; run++) {
      const start = await t.usrsvc(['start', 'web']);
      expect(start.code, start.stderr).toBe(0);
      const answer = await ask(port, 'GET / HTTP/1.0\r\nHost: x\r\n\r\n');
      expect(answer).toMatch(/^HTTP\/1\.[01] 200 OK/);
      expect((await t.usrsvc(['stop', 'web'])).code).toBe(0);
    }
  });

  it('postgres 15 in the foreground (as the unprivileged user nobody): psql connects right after each of 3 starts', { timeout: 300_000 }, async () => {
    const port = await freePort();
    const asNobody = ['--reuid=65534', '--regid=65534', '--clear-groups'];
    t = makeCliTestHome((home) => ({
      pg: {
        command: `${POSTGRES_BIN}/postgres -D ${home.path('pgdata')} -k ${home.dir} -p ${port} -c listen_addresses=127.0.0.1`,
        ready_check: 'notify',
        success_seconds: 0.1,
        term_to_kill_seconds: 10,
        // postgres -D: SIGINT is its "fast" shutdown
        stop_signal: 'INT',
      },
    }));
    execFileSync('chown', ['-R', '65534:65534', t.home.dir]);
    fs.chmodSync(t.home.dir, 0o755);
    const initdb = spawnSync('setpriv', [...asNobody, `${POSTGRES_BIN}/initdb`, '-D', t.home.path('pgdata'), '-A', 'trust', '-U', 'postgres'], { encoding: 'utf8' });
    expect(initdb.status, initdb.stderr).toBe(0);
    const usrsvc = (args: string[]) =>
      spawnSync('setpriv', [...asNobody, process.execPath, BIN, ...args], { env: t.home.env(), encoding: 'utf8', timeout: 120_000 });
    try {
      for (let run = 0; run < 3; run++) {
        const start = usrsvc(['start', 'pg']);
        expect(start.status, start.stderr + start.stdout).toBe(0);
        const psql = spawnSync(path.join(POSTGRES_BIN, 'psql'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-Atc', 'select 42'], { encoding: 'utf8' });
        expect(psql.stdout.trim(), psql.stderr).toBe('42');
        const stop = usrsvc(['stop', 'pg']);
        expect(stop.status, stop.stderr).toBe(0);
      }
    } finally {
      const pid = readPidfile(t.pidfiles.pg!);
      if (pid !== undefined && isRunning(pid)) t.reaper.track(pid);
    }
  });
});

import { freePort } from '@usrsvc/testkit';
import { afterEach, describe, it } from 'vitest';
import { DaemonHarness } from '../test-support/daemonHarness.js';
import { ask, exerciseDaemon, requireBinary } from './realDaemon.js';

// README "Recipes": gunicorn (Debian's python3-gunicorn). Its workers have the master's exact
// title: after kill -9 of the master they must be leftovers, never the program (issue 20, case 2).
const PYTHON = '/usr/bin/python3';
const GUNICORN = '/usr/lib/python3/dist-packages/gunicorn';

let h: DaemonHarness;
afterEach(async () => {
  await h.cleanup();
});

describe("Debian's gunicorn from the README's recipe", () => {
  it('starts, reports, restarts, comes back after kill -9 and stops, under the real usrsvcd', async () => {
    requireBinary(GUNICORN, 'python3-gunicorn');
    h = new DaemonHarness();
    const port = await freePort();
    const app = h.home.path('app');
    h.home.write(
      'app/hello.py',
      'def application(environ, start_response):\n    start_response("200 OK", [("Content-Type", "text/plain")])\n    return [b"ok\\n"]\n',
    );
    const pidfile = h.writeProgram('gunicorn', `cd ${app} && exec ${PYTHON} -m gunicorn --bind 127.0.0.1:${port} --workers 2 hello:application`, {
      useshell: 'True',
      stop_as_group: 'True',
    });
    await exerciseDaemon(h, {
      name: 'gunicorn',
      pidfile,
      treeSize: 3,
      ready: async () => /^HTTP\/1\.[01] 200/.test((await ask(port, 'GET / HTTP/1.0\r\n\r\n')) ?? ''),
    });
  }, 120_000);
});

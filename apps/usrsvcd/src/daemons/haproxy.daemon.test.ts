import { freePort } from '@usrsvc/testkit';
import { afterEach, describe, it } from 'vitest';
import { DaemonHarness } from '../test-support/daemonHarness.js';
import { ask, exerciseDaemon, requireBinary } from './realDaemon.js';

// README "Recipes": haproxy in master-worker mode in the foreground (-W -db), stop_as_group so a
// crash of the master takes its worker with it.
const HAPROXY = '/usr/sbin/haproxy';

let h: DaemonHarness;
afterEach(async () => {
  await h.cleanup();
});

describe("Debian's haproxy from the README's recipe", () => {
  it('starts, reports, restarts, comes back after kill -9 and stops, under the real usrsvcd', async () => {
    requireBinary(HAPROXY, 'haproxy');
    h = new DaemonHarness();
    const port = await freePort();
    const conf = h.home.write(
      'haproxy.cfg',
      [
        'global',
        '  maxconn 64',
        'defaults',
        '  mode http',
        '  timeout connect 1s',
        '  timeout client 5s',
        '  timeout server 5s',
        'frontend web',
        `  bind 127.0.0.1:${port}`,
        '  http-request return status 200 content-type text/plain string ok',
        '',
      ].join('\n'),
    );
    const pidfile = h.writeProgram('haproxy', `${HAPROXY} -W -db -f ${conf}`, { stop_as_group: 'True' });
    await exerciseDaemon(h, {
      name: 'haproxy',
      pidfile,
      treeSize: 2,
      ready: async () => (await ask(port, 'GET / HTTP/1.0\r\n\r\n'))?.startsWith('HTTP/1.1 200') ?? false,
    });
  }, 120_000);
});

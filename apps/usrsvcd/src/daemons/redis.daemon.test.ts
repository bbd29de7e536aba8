import { freePort } from '@usrsvc/testkit';
import { afterEach, describe, it } from 'vitest';
import { DaemonHarness } from '../test-support/daemonHarness.js';
import { ask, exerciseDaemon, requireBinary } from './realDaemon.js';

// README "Recipes": redis. redis rewrites its title to `redis-server 127.0.0.1:PORT`: the
// launch, not proctitle_re, proves which process it is (issue 20, case 1).
const REDIS = '/usr/bin/redis-server';

let h: DaemonHarness;
afterEach(async () => {
  await h.cleanup();
});

describe("Debian's redis-server from the README's recipe", () => {
  it('starts, reports, restarts, comes back after kill -9 and stops, under the real usrsvcd', async () => {
    requireBinary(REDIS, 'redis-server');
    h = new DaemonHarness();
    const port = await freePort();
    const dir = h.home.path('redis');
    h.home.write('redis/.keep', '');
    const pidfile = h.writeProgram('redis', `${REDIS} --port ${port} --bind 127.0.0.1 --daemonize no --dir ${dir} --save "" --appendonly no`);
    await exerciseDaemon(h, { name: 'redis', pidfile, ready: async () => (await ask(port, 'PING\r\n'))?.startsWith('+PONG') ?? false });
  }, 120_000);
});

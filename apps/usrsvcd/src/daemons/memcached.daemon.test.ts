import { freePort } from '@usrsvc/testkit';
import { afterEach, describe, it } from 'vitest';
import { DaemonHarness } from '../test-support/daemonHarness.js';
import { ask, exerciseDaemon, requireBinary } from './realDaemon.js';

// README "Recipes": memcached, in the foreground (no -d).
const MEMCACHED = '/usr/bin/memcached';

let h: DaemonHarness;
afterEach(async () => {
  await h.cleanup();
});

describe("Debian's memcached from the README's recipe", () => {
  it('starts, reports, restarts, comes back after kill -9 and stops, under the real usrsvcd', async () => {
    requireBinary(MEMCACHED, 'memcached');
    h = new DaemonHarness();
    const port = await freePort();
    // memcached run as root must be told which user to be; a user-level service is its user.
    const asRoot = process.getuid?.() === 0 ? ' -u root' : '';
    const pidfile = h.writeProgram('memcached', `${MEMCACHED} -l 127.0.0.1 -p ${port} -U 0 -m 16${asRoot}`);
    await exerciseDaemon(h, { name: 'memcached', pidfile, ready: async () => (await ask(port, 'version\r\n'))?.startsWith('VERSION') ?? false });
  }, 120_000);
});

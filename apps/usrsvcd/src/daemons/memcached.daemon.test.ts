import { describeRecipe } from './realDaemon.js';

// README "Recipes": memcached, in the foreground (no -d).
const MEMCACHED = '/usr/bin/memcached';

describeRecipe("Debian's memcached from the README's recipe", {
  name: 'memcached',
  binary: MEMCACHED,
  pkg: 'memcached',
  configure(h, port) {
    // memcached run as root must be told which user to be; a user-level service is its user.
    const asRoot = process.getuid?.() === 0 ? ' -u root' : '';
    return h.writeProgram('memcached', `${MEMCACHED} -l 127.0.0.1 -p ${port} -U 0 -m 16${asRoot}`);
  },
  probe: { request: 'version\r\n', answer: /^VERSION/ },
});

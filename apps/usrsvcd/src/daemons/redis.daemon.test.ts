import { describeRecipe } from './realDaemon.js';

// README "Recipes": redis. redis rewrites its title to `redis-server 127.0.0.1:PORT`: the
// launch, not proctitle_re, proves which process it is (issue 20, case 1).
const REDIS = '/usr/bin/redis-server';

describeRecipe("Debian's redis-server from the README's recipe", {
  name: 'redis',
  binary: REDIS,
  pkg: 'redis-server',
  configure(h, port) {
    const dir = h.home.path('redis');
    h.home.write('redis/.keep', '');
    return h.writeProgram('redis', `${REDIS} --port ${port} --bind 127.0.0.1 --daemonize no --dir ${dir} --save "" --appendonly no`);
  },
  probe: { request: 'PING\r\n', answer: /^\+PONG/ },
});

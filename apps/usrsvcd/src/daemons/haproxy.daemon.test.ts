import { describeRecipe } from './realDaemon.js';

// README "Recipes": haproxy in master-worker mode in the foreground (-W -db), stop_as_group so a
// crash of the master takes its worker with it.
const HAPROXY = '/usr/sbin/haproxy';

describeRecipe("Debian's haproxy from the README's recipe", {
  name: 'haproxy',
  binary: HAPROXY,
  pkg: 'haproxy',
  configure(h, port) {
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
    return h.writeProgram('haproxy', `${HAPROXY} -W -db -f ${conf}`, { stop_as_group: 'True' });
  },
  probe: { request: 'GET / HTTP/1.0\r\n\r\n', answer: /^HTTP\/1\.1 200/ },
  treeSize: 2,
});

import { wsgiApp } from '@usrsvc/testkit';
import { describeRecipe } from './realDaemon.js';

// README "Recipes": gunicorn (Debian's python3-gunicorn). Its workers have the master's exact
// title: after kill -9 of the master they must be leftovers, never the program (issue 20, case 2).
const PYTHON = '/usr/bin/python3';
const GUNICORN = '/usr/lib/python3/dist-packages/gunicorn';

describeRecipe("Debian's gunicorn from the README's recipe", {
  name: 'gunicorn',
  binary: GUNICORN,
  pkg: 'python3-gunicorn',
  configure(h, port) {
    h.home.write('app/hello.py', wsgiApp('ok\n'));
    return h.writeProgram('gunicorn', `cd ${h.home.path('app')} && exec ${PYTHON} -m gunicorn --bind 127.0.0.1:${port} --workers 2 hello:application`, {
      useshell: 'True',
      stop_as_group: 'True',
    });
  },
  probe: { request: 'GET / HTTP/1.0\r\n\r\n', answer: /^HTTP\/1\.[01] 200/ },
  treeSize: 3,
});

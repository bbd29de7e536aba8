// supervisord from Debian's `supervisor` package, with its socket and logs in the temporary HOME.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { readPid } from '../run.mjs';

export function supervisordManager() {
  const version = spawnSync('supervisord', ['--version'], { encoding: 'utf8' }).stdout.trim();
  let home;
  let conf;
  return {
    name: 'supervisord',
    label: () => `supervisord ${version}`,
    prepare(dir, services) {
      home = dir;
      conf = path.join(home, 'supervisord.conf');
      fs.mkdirSync(path.join(home, 'logs'));
      const head = `[unix_http_server]
file=${home}/supervisor.sock

[supervisord]
logfile=${home}/logs/supervisord.log
pidfile=${home}/supervisord.pid
childlogdir=${home}/logs
user=root

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

[supervisorctl]
serverurl=unix://${home}/supervisor.sock
`;
      const programs = services.map(
        (s) =>
          `[program:${s.name}]\ncommand=${s.argv[0]} -c "${s.argv[2]}" ${s.argv[3]}\nautorestart=true\nredirect_stderr=true\nstdout_logfile=${home}/logs/${s.name}.log\n`,
      );
      fs.writeFileSync(conf, [head, ...programs].join('\n'));
    },
    start: () => ['supervisord', ['-c', conf]],
    daemonPid: () => readPid(path.join(home, 'supervisord.pid')),
    statusAll: () => ['supervisorctl', ['-c', conf, 'status']],
    statusTable: () => undefined,
    statusOne: (name) => ['supervisorctl', ['-c', conf, 'status', name]],
    // supervisord cannot be replaced without stopping its children: shut down, start again.
    restart: () => ['sh', ['-c', `supervisorctl -c "$1" shutdown >/dev/null && while kill -0 "$2" 2>/dev/null; do sleep 0.05; done; supervisord -c "$1"`, 'restart', conf, String(readPid(path.join(home, 'supervisord.pid')))]],
    stop: () => ['supervisorctl', ['-c', conf, 'shutdown']],
  };
}

// pm2, installed locally with npm into the benchmark's cache; PM2_HOME in the temporary HOME.
import fs from 'node:fs';
import path from 'node:path';
import { readPid } from '../run.mjs';

export function pm2Manager(prefix) {
  const pm2 = path.join(prefix, 'node_modules', '.bin', 'pm2');
  const version = JSON.parse(fs.readFileSync(path.join(prefix, 'node_modules', 'pm2', 'package.json'), 'utf8')).version;
  let home;
  return {
    name: 'pm2',
    label: () => `pm2 ${version}`,
    env: (dir) => ({ PM2_HOME: path.join(dir, '.pm2') }),
    prepare(dir, services) {
      home = dir;
      const apps = services.map((s) => ({
        name: s.name,
        script: s.argv[0],
        args: s.argv.slice(1),
        interpreter: 'none',
        autorestart: true,
        out_file: path.join(home, 'logs', `${s.name}.log`),
        error_file: path.join(home, 'logs', `${s.name}.log`),
      }));
      fs.mkdirSync(path.join(home, 'logs'));
      fs.writeFileSync(path.join(home, 'ecosystem.config.cjs'), `module.exports = ${JSON.stringify({ apps }, null, 1)};\n`);
    },
    start: () => [pm2, ['start', path.join(home, 'ecosystem.config.cjs')]],
    daemonPid: () => readPid(path.join(home, '.pm2', 'pm2.pid')),
    statusAll: () => [pm2, ['jlist']],
    statusTable: () => [pm2, ['ls']],
    statusOne: (name) => [pm2, ['describe', name]],
    // `pm2 update`: what pm2 offers to replace its daemon (it saves, kills and resurrects).
    restart: () => [pm2, ['update']],
    stop: () => [pm2, ['kill']],
  };
}

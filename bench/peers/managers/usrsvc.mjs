// usrsvc as a user has it: the packed package installed globally (into the benchmark's cache).
import fs from 'node:fs';
import path from 'node:path';
import { readPid } from '../run.mjs';

export function usrsvcManager(prefix) {
  const usrsvc = path.join(prefix, 'bin', 'usrsvc');
  const usrsvcd = path.join(prefix, 'bin', 'usrsvcd');
  let home;
  return {
    name: 'usrsvc',
    label: () => 'usrsvc (global install)',
    prepare(dir, services) {
      home = dir;
      for (const sub of ['cfg', 'logs', 'pids']) fs.mkdirSync(path.join(home, sub));
      fs.writeFileSync(
        path.join(home, 'usrsvc.cfg'),
        `[Main]\nconfig_dir = ${home}/cfg\npidfile = ${home}/usrsvcd.pid\nusrsvcd_stdout = ${home}/logs/usrsvcd.log\n`,
      );
      const quoted = (argv) => argv.map((word) => (/[\s'"(),;*]/.test(word) ? `'${word}'` : word)).join(' ');
      const sections = services.map(
        (s) => `[Program:${s.name}]\ncommand = ${quoted(s.argv)}\npidfile = ${home}/pids/${s.name}.pid\nstdout = ${home}/logs/${s.name}.log\n`,
      );
      fs.writeFileSync(path.join(home, 'cfg', 'services.cfg'), sections.join('\n'));
    },
    start: () => [usrsvcd, []],
    daemonPid: () => readPid(path.join(home, 'usrsvcd.pid')),
    statusAll: () => [usrsvc, ['status', '--json']],
    statusTable: () => [usrsvc, ['status']],
    statusOne: (name) => [usrsvc, ['status', name]],
    restart: () => [usrsvcd, ['restart']],
    stop: () => [usrsvcd, ['stop']],
  };
}

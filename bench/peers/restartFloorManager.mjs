// The restart floor's "manager" (restartFloor.mjs starts it): launches each service with usrsvcd's
// own native double fork (an orphan in a session of its own), watches it with usrsvcd's pidfd
// watch, and launches it again the moment it exits. Nothing is locked, read, recorded or logged.
// argv: a JSON file of [argv, ...]; prints "ready" once every service was launched.
import fs from 'node:fs';
import { nativeOrphanSpawnAsync, watchExit } from '../../packages/exitwatch/dist/index.js';
import { readProcess } from '../../packages/procscan/dist/index.js';

const spawn = nativeOrphanSpawnAsync();
if (!spawn) throw new Error('the restart floor needs the usrsvc addon (pidfd and the native double fork)');
const services = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const env = { PATH: process.env.PATH };

async function keep(argv) {
  const pid = await spawn({ file: argv[0], argv, env, stdout: '/dev/null' });
  const startTicks = readProcess(pid)?.startTicks ?? -1;
  watchExit({ pid, startTicks }, () => void keep(argv), { keepAlive: true });
}

await Promise.all(services.map((argv) => keep(argv)));
process.stdout.write('ready\n');
process.on('SIGTERM', () => process.exit(0));

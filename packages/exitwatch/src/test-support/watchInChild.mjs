// Run by keepAlive.test.ts: watches argv[2] (a pid) with keepAlive argv[3] in a fresh Node process,
// through the built package, and prints "exited" when the watch fires.
import { processIdentity } from '@usrsvc/procscan';
import { watchExit } from '../../dist/index.js';

const identity = processIdentity(Number(process.argv[2]));
if (!identity) throw new Error('target not alive');
watchExit(identity, () => process.stdout.write('exited\n'), { keepAlive: process.argv[3] === 'true' });
process.stdout.write('watching\n');

// Runs one launcher action in a separate process, against the built dist/:
//   node launcherAction.mjs start|hold-lock '<program json>'
// Prints the ActionResult as JSON ("hold-lock" prints "locked" and keeps the lock until killed).
import { startProgram, withProgramLock } from '../../dist/index.js';

const [action, json] = process.argv.slice(2);
const program = JSON.parse(json);
program.proctitleRe = new RegExp(program.proctitleRe);
const ctx = { env: process.env };
// USRSVC_TEST_LOCKER=native: lock through the addon's flock(2), as the apps do (default: flock(1)).
if (process.env.USRSVC_TEST_LOCKER === 'native') ctx.tryLockFile = (await import('@usrsvc/exitwatch')).nativeTryLockFile();

if (action === 'start') {
  const result = await startProgram(program, ctx);
  process.stdout.write(`${JSON.stringify(result)}\n`);
} else if (action === 'hold-lock') {
  await withProgramLock(program, ctx, async () => {
    process.stdout.write('locked\n');
    await new Promise(() => setInterval(() => {}, 60_000));
  });
}

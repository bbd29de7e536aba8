import fs from 'node:fs';
import { isatty } from 'node:tty';
import { askDaemon } from './askDaemon.js';
import { statusRequestOf } from './statusRequestOf.js';

/**
 * `usrsvc status ...` answered by usrsvcd, written out as the CLI would: resolves with the exit
 * code, or undefined when usrsvcd did not answer (not running, an older one, a command line or an
 * environment it cannot reproduce), and the CLI then runs as it always does. Nothing is written
 * before the whole answer is in. USRSVC_DAEMON_STATUS_TRACE=FILE appends which way it went.
 */
export async function statusFromDaemon(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number | undefined> {
  // isatty, not process.stdout.isTTY: creating process.stderr costs ~1 ms, and an answer seldom writes to it.
  const asked = statusRequestOf(argv, env, { stdout: { isTTY: isatty(1) }, stderr: { isTTY: isatty(2) } });
  const answer = 'why' in asked ? ({ answered: false, why: asked.why } as const) : await askDaemon(asked.socket, asked.request);
  if (!('why' in asked) && answer.answered && new Date().getTimezoneOffset() !== asked.request.utcOffsetMinutes) {
    trace(env, 'fallback: the time zone offset changed while asking');
    return undefined;
  }
  trace(env, answer.answered ? 'answered by usrsvcd' : `fallback: ${answer.why}`);
  if (!answer.answered) return undefined;
  for (const [fd, text] of answer.output) (fd === 1 ? process.stdout : process.stderr).write(text);
  return answer.code;
}

function trace(env: NodeJS.ProcessEnv, line: string): void {
  const file = env.USRSVC_DAEMON_STATUS_TRACE;
  if (!file) return;
  try {
    fs.appendFileSync(file, `${line}\n`);
  } catch {
    // A trace for tests and curious users: never a reason to fail.
  }
}

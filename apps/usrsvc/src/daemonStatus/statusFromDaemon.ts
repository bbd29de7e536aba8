import fs from 'node:fs';
import { nativeClient } from '@usrsvc/exitwatch/nativeClient';
import { askDaemon } from './askDaemon.js';
import { statusRequestOf } from './statusRequestOf.js';
import { writeAnswer } from './writeAnswer.js';

/**
 * `usrsvc status ...` answered by usrsvcd, written out as the CLI would: resolves with the exit
 * code and the streams still writing (for exitAfterOutput), or undefined when usrsvcd did not
 * answer (not running, an older one, a command line or an environment it cannot reproduce), and
 * the CLI then runs as it always does. Nothing is written before the whole answer is in.
 * USRSVC_DAEMON_STATUS_TRACE=FILE appends which way it went.
 */
export async function statusFromDaemon(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<{ code: number; writing: NodeJS.WriteStream[] } | undefined> {
  // The addon's isatty and exchange when it is built: node:tty and node:net load the stream modules,
  // ~3 ms of a status. isatty, not process.stdout.isTTY: creating process.stderr costs ~1 ms.
  const client = nativeClient();
  const isatty = client ? client.isTerminal : process.getBuiltinModule('node:tty').isatty;
  const asked = statusRequestOf(argv, env, { stdout: { isTTY: isatty(1) }, stderr: { isTTY: isatty(2) } });
  const answer = 'why' in asked ? ({ answered: false, why: asked.why } as const) : await askDaemon(asked.socket, asked.request, client);
  if (!('why' in asked) && answer.answered && new Date().getTimezoneOffset() !== asked.request.utcOffsetMinutes) {
    trace(env, 'fallback: the time zone offset changed while asking');
    return undefined;
  }
  trace(env, answer.answered ? 'answered by usrsvcd' : `fallback: ${answer.why}`);
  if (!answer.answered) return undefined;
  const writing = new Map<1 | 2, NodeJS.WriteStream>();
  for (const [fd, bytes] of answer.output) {
    // Once a stream holds part of an fd's output, the rest goes after it, not around it.
    const stream = writing.get(fd);
    if (stream) stream.write(bytes);
    else {
      const left = writeAnswer(fd, bytes);
      if (left) writing.set(fd, left);
    }
  }
  return { code: answer.code, writing: [...writing.values()] };
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

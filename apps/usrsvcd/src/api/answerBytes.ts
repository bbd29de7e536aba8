import { encodeStatusAnswer, type StatusAnswer } from '@usrsvc/cli-actions/statusRequest';

/** An answer as sent, with its bytes. */
export interface SentAnswer {
  answer: StatusAnswer;
  bytes: Buffer;
}

/**
 * `answer` and its bytes: `last`'s bytes when it is the same answer (the same code, and each chunk
 * the same fd and text), so that a burst of the same status of 200 programs (400 KB of `--json`)
 * is encoded once; else newly encoded.
 */
export function answerBytes(last: SentAnswer | undefined, answer: StatusAnswer): SentAnswer {
  if (last && sameAnswer(last.answer, answer)) return last;
  return { answer, bytes: encodeStatusAnswer(answer) };
}

function sameAnswer(a: StatusAnswer, b: StatusAnswer): boolean {
  if (!a.answered || !b.answered) return false;
  return a.code === b.code && a.output.length === b.output.length && a.output.every(([fd, text], i) => fd === b.output[i]?.[0] && text === b.output[i]?.[1]);
}

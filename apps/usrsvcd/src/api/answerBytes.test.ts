import { encodeStatusAnswer, type StatusAnswer } from '@usrsvc/cli-actions/statusRequest';
import { describe, expect, it } from 'vitest';
import { answerBytes } from './answerBytes.js';

const json = `${JSON.stringify([{ name: 'web', running: true }], null, 2)}\n`;
const answer = (over: Partial<Extract<StatusAnswer, { answered: true }>> = {}): StatusAnswer => ({ answered: true, code: 0, output: [[1, json]], ...over });

describe('answerBytes', () => {
  it('sends the same bytes again for the same answer, built from equal texts', () => {
    const first = answerBytes(undefined, answer());
    expect(first.bytes.equals(encodeStatusAnswer(answer()))).toBe(true);
    const again = answerBytes(first, answer({ output: [[1, `${json.slice(0, -1)}\n`]] }));
    expect(again.bytes).toBe(first.bytes);
  });

  it('encodes anew when the code, a text, an fd or the number of chunks differs', () => {
    const first = answerBytes(undefined, answer());
    for (const other of [
      answer({ code: 1 }),
      answer({ output: [[1, json.replace('web', 'api')]] }),
      answer({ output: [[2, json]] }),
      answer({ output: [[1, json], [2, 'usrsvcd is not running\n']] }),
      answer({ output: [] }),
    ]) {
      const sent = answerBytes(first, other);
      expect(sent.bytes).not.toBe(first.bytes);
      expect(sent.bytes.equals(encodeStatusAnswer(other))).toBe(true);
      expect(sent.answer).toBe(other);
    }
  });

  it('never keeps a declined answer for reuse', () => {
    const declined: StatusAnswer = { answered: false, why: 'another user' };
    const first = answerBytes(undefined, declined);
    expect(first.bytes.equals(encodeStatusAnswer(declined))).toBe(true);
    expect(answerBytes(first, declined).bytes).not.toBe(first.bytes);
  });
});

import { describe, expect, it } from 'vitest';
import { describeConfigProblem } from './printConfigErrors.js';

describe('describeConfigProblem', () => {
  it('names the file, line, section, key, problem and hint', () => {
    expect(
      describeConfigProblem({
        file: '/home/u/usrsvc.cfg',
        line: 12,
        section: 'Program:web',
        key: 'maxrestart',
        message: '/home/u/usrsvc.cfg:12: ... (full)',
        detail: 'unknown key',
        hint: 'did you mean maxrestarts?',
      }),
    ).toBe('/home/u/usrsvc.cfg:12: [Program:web] maxrestart: unknown key\n    hint: did you mean maxrestarts?');
  });
});

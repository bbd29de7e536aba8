import { ConfigError } from '@usrsvc/config';
import { describe, expect, it } from 'vitest';
import { describeConfigProblem } from './printConfigErrors.js';

describe('describeConfigProblem', () => {
  it('names the file, line, section, key, problem and hint', () => {
    expect(
      describeConfigProblem(
        new ConfigError('unknown key', { file: '/home/u/usrsvc.cfg', line: 12, section: 'Program:web', key: 'maxrestart', hint: 'did you mean maxrestarts?' }),
      ),
    ).toBe('/home/u/usrsvc.cfg:12: [Program:web] maxrestart: unknown key\n    hint: did you mean maxrestarts?');
  });

  it('shows an error without a place as it is', () => {
    expect(describeConfigProblem({ message: 'cannot read /home/u/usrsvc.cfg: EACCES' })).toBe('cannot read /home/u/usrsvc.cfg: EACCES');
  });
});

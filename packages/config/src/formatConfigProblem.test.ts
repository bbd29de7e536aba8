import { describe, expect, it } from 'vitest';
import { ConfigError } from './ConfigError.js';
import { formatConfigProblem, formatConfigWarning } from './formatConfigProblem.js';

describe('formatConfigProblem', () => {
  it('puts file, line, section, key, detail and hint on one line', () => {
    expect(formatConfigProblem('unknown key', { file: '/h/a.cfg', line: 4, section: 'Program:web', key: 'maxrestart', hint: 'did you mean maxrestarts?' })).toBe(
      '/h/a.cfg:4: [Program:web] maxrestart: unknown key (did you mean maxrestarts?)',
    );
    expect(formatConfigProblem('the file does not exist', { file: '/h/usrsvc.cfg' })).toBe('/h/usrsvc.cfg: the file does not exist');
    expect(formatConfigProblem('no [Main] section', { file: '/h/usrsvc.cfg', line: 1, section: 'Main' })).toBe('/h/usrsvc.cfg:1: [Main]: no [Main] section');
  });

  it("is ConfigError's message, and formatConfigWarning's text", () => {
    const place = { file: '/h/a.cfg', line: 2, section: 'Program:web', key: 'command' };
    expect(new ConfigError('bad', place).message).toBe(formatConfigProblem('bad', place));
    expect(formatConfigWarning({ ...place, message: 'a trailing "&" is dropped' })).toBe('/h/a.cfg:2: [Program:web] command: a trailing "&" is dropped');
  });
});

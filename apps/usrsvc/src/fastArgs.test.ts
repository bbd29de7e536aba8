import { describe, expect, it } from 'vitest';
import { parseFastArgs } from './fastArgs.js';

describe('parseFastArgs', () => {
  it('understands the everyday command lines', () => {
    expect(parseFastArgs(['status', 'web'])).toEqual({
      kind: 'invocation',
      invocation: { action: 'status', target: 'web', json: false, parallel: false, debug: false, configPath: undefined },
    });
    expect(parseFastArgs(['-P', 'start', 'all', '--json', '--config', '/x/u.cfg'])).toEqual({
      kind: 'invocation',
      invocation: { action: 'start', target: 'all', json: true, parallel: true, debug: false, configPath: '/x/u.cfg' },
    });
    expect(parseFastArgs(['status'])).toMatchObject({ kind: 'invocation', invocation: { target: undefined } });
  });

  it('keeps program names that look like numbers as strings', () => {
    expect(parseFastArgs(['stop', '007'])).toMatchObject({ invocation: { target: '007' } });
  });

  it('reports an unknown action with a name', () => {
    expect(parseFastArgs(['frobnicate', 'web'])).toEqual({ kind: 'unknown-action', action: 'frobnicate' });
  });

  it('leaves help, version, readme, completion and mistakes to yargs', () => {
    for (const argv of [
      ['--help'],
      ['-h'],
      ['--version'],
      ['--readme'],
      ['completion'],
      ['--get-yargs-completions', 'usrsvc', 'st'],
      [],
      ['start'],
      ['status', 'a', 'b'],
      ['status', 'a', '--bogus'],
      ['status', 'a', '--config'],
    ]) {
      expect(parseFastArgs(argv), argv.join(' ')).toEqual({ kind: 'needs-yargs' });
    }
  });
});

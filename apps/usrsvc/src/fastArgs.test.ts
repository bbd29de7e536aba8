import { describe, expect, it } from 'vitest';
import { parseEverydayArgs, parseFastArgs, parseWithYargsParser } from './fastArgs.js';

describe('parseFastArgs', () => {
  it('understands the everyday command lines', async () => {
    expect(await parseFastArgs(['status', 'web'])).toEqual({
      kind: 'invocation',
      invocation: { action: 'status', target: 'web', json: false, parallel: false, debug: false, configPath: undefined },
    });
    expect(await parseFastArgs(['-P', 'start', 'all', '--json', '--config', '/x/u.cfg'])).toEqual({
      kind: 'invocation',
      invocation: { action: 'start', target: 'all', json: true, parallel: true, debug: false, configPath: '/x/u.cfg' },
    });
    expect(await parseFastArgs(['status'])).toMatchObject({ kind: 'invocation', invocation: { target: undefined } });
  });

  it('keeps program names that look like numbers as strings', async () => {
    expect(await parseFastArgs(['stop', '007'])).toMatchObject({ invocation: { target: '007' } });
  });

  it('reports an unknown action with a name', async () => {
    expect(await parseFastArgs(['frobnicate', 'web'])).toEqual({ kind: 'unknown-action', action: 'frobnicate' });
  });

  it('leaves help, version, readme, completion and mistakes to yargs', async () => {
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
      expect(await parseFastArgs(argv), argv.join(' ')).toEqual({ kind: 'needs-yargs' });
    }
  });

  it('reads the everyday command lines without yargs-parser exactly as yargs-parser reads them', async () => {
    const everyday = [
      ['status'],
      ['status', 'web'],
      ['status', 'all', '--json'],
      ['--json', 'status'],
      ['-P', 'start', 'all', '--json', '--config', '/x/u.cfg'],
      ['start', 'all', '--parallel', '--debug'],
      ['restart', 'web', '--no-deps'],
      ['start', 'web', '--deps'],
      ['stop', '007'],
      ['--config', 'relative.cfg', 'status', '1e3'],
      ['frobnicate', 'web'],
      ['status', 'a', 'b'],
      [],
    ];
    for (const argv of everyday) {
      const parsed = parseEverydayArgs(argv);
      expect(parsed, argv.join(' ')).toBeDefined();
      expect(parsed, argv.join(' ')).toEqual(await parseWithYargsParser(argv));
    }
  });

  it('leaves every other command line to yargs-parser', () => {
    for (const argv of [
      ['status', '--json=true'],
      ['-Pd', 'start', 'all'],
      ['status', '--json', '--json'],
      ['start', 'web', '--deps', '--no-deps'],
      ['status', '--config'],
      ['status', '--config', ''],
      ['status', '--config', '--json'],
      ['--config', 'a', '--config', 'b', 'status'],
      ['status', '--', 'web'],
      ['status', '-'],
      ['--help'],
      ['--version'],
      ['--readme'],
      ['status', '--bogus'],
    ]) {
      expect(parseEverydayArgs(argv), argv.join(' ')).toBeUndefined();
    }
  });
});

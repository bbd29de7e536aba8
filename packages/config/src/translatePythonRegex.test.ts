import { describe, expect, it } from 'vitest';
import { escapeRegex } from './defaultProctitleRe.js';
import { outcomeOf, seededStrings } from './test-support/seededStrings.js';
import { PythonRegexError, translatePythonRegex, translatePythonRegexSource, translateStepByStep } from './translatePythonRegex.js';

const js = (source: string) => translatePythonRegexSource(source);

describe('translatePythonRegex', () => {
  it('passes through what both dialects share', () => {
    expect(js('^/usr/bin/(python|node) .*worker\\.py\\s+\\d{2,3}$')).toEqual({
      pattern: '^/usr/bin/(python|node) .*worker\\.py\\s+\\d{2,3}$',
      flags: '',
    });
  });

  it('translates named groups and named backreferences', () => {
    const regex = translatePythonRegex('(?P<word>ab)-(?P=word)');
    expect(regex.source).toBe('(?<word>ab)-\\k<word>');
    expect(regex.test('x ab-ab')).toBe(true);
    expect(regex.test('ab-ba')).toBe(false);
  });

  it('translates unescaped \\A and \\Z only', () => {
    expect(js('\\Aserver\\Z').pattern).toBe('^server$');
    expect(js('a\\\\A\\\\Z').pattern).toBe('a\\\\A\\\\Z');
    expect(translatePythonRegex('\\\\A').test('\\A')).toBe(true);
  });

  it('uses search semantics: matches anywhere unless anchored', () => {
    expect(translatePythonRegex('worker').test('/usr/bin/python worker.py')).toBe(true);
    expect(translatePythonRegex('\\Aworker').test('/usr/bin/python worker.py')).toBe(false);
  });

  it('strips (?#...) comments and applies leading flags', () => {
    expect(js('(?#the server)srv')).toEqual({ pattern: 'srv', flags: '' });
    expect(js('(?i)(?s)srv.')).toEqual({ pattern: 'srv.', flags: 'is' });
    expect(translatePythonRegex('(?i)SERVER').test('/bin/server')).toBe(true);
    expect(js('(?u)x').flags).toBe('');
  });

  it('rewrites what JavaScript reads differently', () => {
    expect(js('a{,3}').pattern).toBe('a{0,3}');
    expect(js('[]a]').pattern).toBe('[\\]a]');
    expect(js('[^]a]').pattern).toBe('[^\\]a]');
    expect(js('\\a').pattern).toBe('\\x07');
    expect(translatePythonRegex('x{,2}y').test('xxy')).toBe(true);
  });

  it('keeps lookarounds and non-capturing groups', () => {
    expect(js('(?:a)(?=b)(?!c)(?<=d)(?<!e)').pattern).toBe('(?:a)(?=b)(?!c)(?<=d)(?<!e)');
  });

  it.each([
    ['a(?i)b', 'inline flags must be at the very start'],
    ['(?i:a)b', 'scoped inline flags'],
    ['(?x)a b', 'verbose mode'],
    ['(?>a)', 'atomic groups'],
    ['(a)?(?(1)b|c)', 'conditional groups'],
    ['a++', 'possessive quantifiers'],
    ['\\N{DASH}', '\\N{...}'],
    ['\\p{L}', 'bad escape \\p'],
    ['(?P<1a>x)', 'bad group name'],
    ['abc\\', 'lone backslash'],
    ['[abc', 'unterminated character set'],
    ['(?#never closed', 'unterminated comment'],
    ['(unbalanced', 'not a valid regular expression'],
    ['(?Q)', 'unknown group extension'],
  ])('refuses %j clearly', (source, message) => {
    expect(() => translatePythonRegex(source)).toThrow(PythonRegexError);
    expect(() => translatePythonRegex(source)).toThrow(message);
  });

  it('allows lazy quantifiers', () => {
    expect(js('a+?b*?c??').pattern).toBe('a+?b*?c??');
  });
});

describe('translatePythonRegexSource on plain text (its shortcut)', () => {
  it('gives what the step-by-step translation gives, for derived proctitles and seeded random text', () => {
    const sources = [
      `${['/usr/bin/python3', '-c', 'import time,sys; time.sleep(10**6)', 'svc1'].map(escapeRegex).join(' ')}$`,
      `${['sh', '-c', 'a | b && c $HOME [x] {1,2}', 'C:\\dir'].map(escapeRegex).join(' ')}$`,
      '^exact$',
      '',
    ];
    const randomWord = seededStrings(24, [...'ab -/.,;:=$^|\\*+?()[]{}#\'"AZz'], 12);
    for (let n = 0; n < 2000; n += 1) {
      const word = randomWord();
      sources.push(n % 2 ? escapeRegex(word) : word);
    }
    for (const source of sources) {
      expect(outcomeOf(() => translatePythonRegexSource(source)), JSON.stringify(source)).toEqual(outcomeOf(() => translateStepByStep(source)));
    }
  });
});

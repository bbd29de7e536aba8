import { describe, expect, it } from 'vitest';
import { DotenvSyntaxError, parseDotenv } from './parseDotenv.js';

const values = (text: string) => Object.fromEntries(parseDotenv(text, '/x.env').map((entry) => [entry.key, entry.value]));

describe('parseDotenv', () => {
  it('reads the dotenv dialect without evaluating anything', () => {
    const text = [
      '# a comment',
      '',
      'PLAIN=value',
      'SPACED = spaced value  # trailing comment',
      'export EXPORTED=1',
      "SINGLE='literal $HOME \\n # not a comment'",
      'DOUBLE="line one\\nline two \\"quoted\\" $HOME"',
      'EMPTY=',
      'HASH=a#b',
      'SUB=$(id) `id` $' + '{HOME}',
      'MULTI="first',
      'second"',
      '   INDENTED=yes',
    ].join('\n');
    expect(values(text)).toEqual({
      PLAIN: 'value',
      SPACED: 'spaced value',
      EXPORTED: '1',
      SINGLE: 'literal $HOME \\n # not a comment',
      DOUBLE: 'line one\nline two "quoted" $HOME',
      EMPTY: '',
      HASH: 'a#b',
      SUB: '$(id) `id` $' + '{HOME}',
      MULTI: 'first\nsecond',
      INDENTED: 'yes',
    });
  });

  it('names file and line of a syntax error, never a value', () => {
    const cases: [string, number, string][] = [
      ['A=1\nnot a pair\n', 2, 'expected KEY=VALUE'],
      ['A=1\n1BAD=secret\n', 2, 'not a variable name'],
      ['A=1\n\nB="secret never closed\n', 3, 'never closed'],
      ["A='secret' junk\n", 1, 'after the closing'],
    ];
    for (const [text, line, detail] of cases) {
      let error: unknown;
      try {
        parseDotenv(text, '/x.env');
      } catch (thrown) {
        error = thrown;
      }
      expect(error).toBeInstanceOf(DotenvSyntaxError);
      expect(error).toMatchObject({ file: '/x.env', line });
      expect((error as Error).message).toContain(detail);
      expect((error as Error).message).not.toContain('secret');
    }
  });
});

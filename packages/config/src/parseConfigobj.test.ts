import { describe, expect, it } from 'vitest';
import { parseConfigobj } from './parseConfigobj.js';

const parse = (text: string) => parseConfigobj(text, '/cfg/test.cfg');
const values = (text: string) =>
  Object.fromEntries([...parse(text).sections[0]!.entries.values()].map((entry) => [entry.key, entry.value]));

describe('parseConfigobj', () => {
  it('reads sections, subsections and keys with their line numbers', () => {
    const parsed = parse(
      '# header comment\n[Program:web]\ncommand = /bin/web\n\n  [[Env]]\n    A = 1\n[[Monitoring]]\nrss_limit = 5\n[Main]\nx = y\n',
    );
    expect(parsed.errors).toEqual([]);
    expect(parsed.sections.map((s) => [s.name, s.line])).toEqual([
      ['Program:web', 2],
      ['Main', 9],
    ]);
    const web = parsed.sections[0]!;
    expect(web.entries.get('command')).toMatchObject({ value: '/bin/web', line: 3, section: 'Program:web' });
    expect(web.subsections.map((s) => [s.name, s.line])).toEqual([
      ['Env', 5],
      ['Monitoring', 7],
    ]);
    expect(web.subsections[0]!.entries.get('A')).toMatchObject({ value: '1', line: 6 });
    expect(web.subsections[1]!.entries.get('rss_limit')).toMatchObject({ value: '5', line: 8 });
  });

  it('keeps ";" as an ordinary character', () => {
    expect(values('[P]\ncommand = cd /srv && ./run; echo done\n')).toEqual({ command: 'cd /srv && ./run; echo done' });
  });

  it('drops whole-line and trailing "#" comments, but not a "#" inside a word or quotes', () => {
    expect(
      values('[P]\n# whole line\n   # indented\na = 1 # trailing\nb = x#y\nc = echo "a # b" # c\nd = #only comment\n'),
    ).toEqual({ a: '1', b: 'x#y', c: 'echo "a # b"', d: '' });
  });

  it('removes the quotes of fully quoted values, without escape processing', () => {
    expect(
      values(`[P]\na = "quoted value"\nb = 'single'  # comment\nc = "foo\\.py$"\nd = "a" b\ne = ""\nf = "x"y"\n`),
    ).toEqual({ a: 'quoted value', b: 'single', c: 'foo\\.py$', d: '"a" b', e: '', f: '"x"y"' });
  });

  it('accepts indentation, tabs, CRLF and a UTF-8 BOM', () => {
    const parsed = parse('\uFEFF[Program:a]\r\n\tcommand\t=\t/bin/a\r\n   pidfile = /p\r\n');
    expect(parsed.errors).toEqual([]);
    expect(parsed.sections[0]!.name).toBe('Program:a');
    expect(parsed.sections[0]!.entries.get('command')).toMatchObject({ value: '/bin/a', line: 2 });
    expect(parsed.sections[0]!.entries.get('pidfile')).toMatchObject({ value: '/p', line: 3 });
  });

  it('keeps dots, dashes and digits in section names', () => {
    expect(parse('[Program:my.app-2]\n[ DefaultSettings:x.y ]\n').sections.map((s) => s.name)).toEqual([
      'Program:my.app-2',
      'DefaultSettings:x.y',
    ]);
  });

  it('splits at the first "=" only', () => {
    expect(values('[P]\ncommand = /bin/x --opt=a=b\n')).toEqual({ command: '/bin/x --opt=a=b' });
  });

  it('collects keys before any section separately', () => {
    expect(parse('stray = 1\n[Main]\n').topLevel).toMatchObject([{ key: 'stray', line: 1 }]);
  });

  it.each([
    ['[P]\nno equals sign\n', 2, 'expected key = value'],
    ['[P]\n; a semicolon line\n', 2, 'expected key = value'],
    ['[P]\na = 1\na = 2\n', 3, 'duplicate key (first set on line 2)'],
    ['[[Env]]\n', 1, 'outside of any section'],
    ['[P]\n[[[Deep]]]\n', 2, 'nested too deep'],
    ['[P\n', 1, 'invalid section header'],
    ['[P]\n[[Env]]\n[[Env]]\n', 3, 'duplicate subsection'],
    ['[P]\n = value\n', 2, 'missing key name'],
    ['[P]\na = """multi\n', 2, 'triple-quoted'],
  ])('reports %j at line %i', (text, line, message) => {
    const [error] = parse(text).errors;
    expect(error?.message).toContain(message);
    expect(error).toMatchObject({ file: '/cfg/test.cfg', line });
  });

  it('hints that ";" does not start a comment', () => {
    expect(parse('[P]\n; note\n').errors[0]?.hint).toContain('"#"');
  });
});

import { describe, expect, it } from 'vitest';
import { defaultProctitleRe, escapeRegex } from './defaultProctitleRe.js';
import { translatePythonRegex } from './translatePythonRegex.js';

// Expected words produced by Python 3's shlex.split (posix=True) for the same input.
const pythonShlexCases: [string, string[]][] = [
  ['/usr/bin/python /x/y.py --a=1 "two words"', ['/usr/bin/python', '/x/y.py', '--a=1', 'two words']],
  [`a 'single q' "dq \\" in" b\\ c`, ['a', 'single q', 'dq " in', 'b c']],
  [`x "a\\\\b" "\\$x" 'a\\b' "a\\nb"`, ['x', 'a\\b', '\\$x', 'a\\b', 'a\\nb']],
  [`run --name=it\\'s "mixed"'quotes' a#b #c`, ['run', "--name=it's", 'mixedquotes', 'a#b', '#c']],
  ['  lead   and   trail  ', ['lead', 'and', 'trail']],
  [`emp "" '' x`, ['emp', '', '', 'x']],
];

describe('defaultProctitleRe', () => {
  it.each(pythonShlexCases)('splits %j as Python shlex.split does', (command, words) => {
    expect(defaultProctitleRe(command, false)).toBe(`${words.map(escapeRegex).join(' ')}$`);
  });

  it('escapes each word, joins with single spaces and anchors only the end', () => {
    expect(defaultProctitleRe('/usr/bin/python  /home/svc/bin/MagicLooper.py  --x=[1]', false)).toBe(
      '/usr/bin/python /home/svc/bin/MagicLooper\\.py --x=\\[1\\]$',
    );
  });

  it('matches the argv with a shebang interpreter in front (search semantics)', () => {
    const regex = translatePythonRegex(defaultProctitleRe('/home/svc/bin/MagicLooper.py arg1', false));
    expect(regex.test('/usr/bin/python /home/svc/bin/MagicLooper.py arg1')).toBe(true);
    expect(regex.test('/usr/bin/python /home/svc/bin/MagicLooper.py arg1 more')).toBe(false);
    expect(regex.test('/home/svc/bin/MagicLooperXpy arg1')).toBe(false);
  });

  it('with useshell, uses only the part after the last "&&"', () => {
    expect(defaultProctitleRe('cd /srv && export A=1 && ./run --port 80', true)).toBe('\\./run --port 80$');
    expect(defaultProctitleRe('cd /srv && ./run', false)).toBe('cd /srv && \\./run$');
    expect(defaultProctitleRe('./run; echo done', true)).toBe('\\./run; echo done$');
  });

  it('with useshell, skips a leading exec, and exec -a NAME takes NAME', () => {
    expect(defaultProctitleRe('cd /srv && exec /bin/prog --port 80', true)).toBe('/bin/prog --port 80$');
    expect(defaultProctitleRe('exec /bin/prog', true)).toBe('/bin/prog$');
    expect(defaultProctitleRe('cd /srv && exec -a myname /bin/prog x', true)).toBe('myname x$');
    expect(defaultProctitleRe('exec -c -- /bin/prog', true)).toBe('/bin/prog$');
    expect(defaultProctitleRe('exec /bin/prog', false)).toBe('exec /bin/prog$');
    const regex = translatePythonRegex(defaultProctitleRe('cd /tmp && exec /bin/sleep 600', true));
    expect(regex.test('/bin/sleep 600')).toBe(true);
  });

  it('throws on an unclosed quote, as shlex.split does', () => {
    expect(() => defaultProctitleRe('run "unclosed', false)).toThrow();
    expect(() => defaultProctitleRe('trailing\\', false)).toThrow();
  });

  it('produces sources that compile in JavaScript for every special character', () => {
    const command = `/bin/x '^$.|?*+()[]{}\\' -`;
    const regex = translatePythonRegex(defaultProctitleRe(command, false));
    expect(regex.test('/bin/x ^$.|?*+()[]{}\\ -')).toBe(true);
  });
});

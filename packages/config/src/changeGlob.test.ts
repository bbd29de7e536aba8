import { describe, expect, it } from 'vitest';
import { compileGlob, globProblem } from './changeGlob.js';

const matches = (glob: string, path: string) => compileGlob(glob).test(path);

describe('restart_on_change_ignore globs', () => {
  it.each([
    ['**/.git/**', '/srv/app/.git/index', true],
    ['**/.git/**', '/srv/app/.git', true],
    ['**/.git/**', '/srv/app/.github/x.yml', false],
    ['**/node_modules/**', 'node_modules/a/b.js', true],
    ['**/*.pyc', '/srv/app/pkg/__init__.pyc', true],
    ['**/*.pyc', '/srv/app/pkg/__init__.py', false],
    ['*.log', 'app.log', true],
    ['*.log', 'logs/app.log', false],
    ['src/*.tmp', 'src/a.tmp', true],
    ['src/*.tmp', 'src/deep/a.tmp', false],
    ['src/**/*.tmp', 'src/deep/er/a.tmp', true],
    ['src/**/*.tmp', 'src/a.tmp', true],
    ['/srv/app/tmp/**', '/srv/app/tmp/x/y', true],
    ['/srv/app/tmp/**', '/srv/app/tmpfile', false],
    ['file?.txt', 'file1.txt', true],
    ['file?.txt', 'file/.txt', false],
    ['[abc].js', 'b.js', true],
    ['[!abc].js', 'b.js', false],
    ['[!abc].js', 'd.js', true],
    ['[a-c]x', 'bx', true],
    ['\\*.js', '*.js', true],
    ['\\*.js', 'a.js', false],
    ['a.b', 'axb', false],
    ['**', '/any/thing', true],
  ])('%s against %s: %s', (glob, path, expected) => {
    expect(matches(glob, path)).toBe(expected);
  });

  it.each([
    ['', 'empty glob'],
    ['[abc', 'unclosed "["'],
    ['*.{js,ts}', 'braces are not supported'],
    ['abc\\', 'ends with "\\"'],
  ])('refuses %j: %s', (glob, detail) => {
    expect(globProblem(glob)).toContain(detail);
  });
});

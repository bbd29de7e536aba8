import { describe, expect, it } from 'vitest';
import { changeIgnore } from './changeIgnore.js';

describe('changeIgnore', () => {
  const ignore = changeIgnore(['node_modules', '*.pyc', 'build/**', '/srv/app/tmp', '**/.git/**'], ['/srv/app/app.log']);
  it.each([
    ['/srv/app/node_modules/x/index.js', true], // a name anywhere, and everything below the folder it names
    ['/srv/app/lib/node_modules', true],
    ['/srv/app/pkg/mod.pyc', true],
    ['/srv/app/build/out/main.js', true], // relative to the watched folder
    ['/srv/app/src/build/main.js', false],
    ['/srv/app/tmp/cache/x', true], // absolute
    ['/srv/app/.git/objects/ab/cd', true],
    ['/srv/app/app.log', true], // the program's own files
    ['/srv/app/src/main.py', false],
    ['/srv/app', false], // the watched root itself always counts
  ])('%s: %s', (file, expected) => {
    expect(ignore(file, '/srv/app')).toBe(expected);
  });
});

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const DIST = fileURLToPath(new URL('../dist/', import.meta.url));

/** The files `node dist/bin.js` loads before running anything: bin.js and its static imports. */
function staticallyLoaded(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const source = fs.readFileSync(path.join(DIST, file), 'utf8');
  for (const match of source.matchAll(/(?:^|[;}\s])import\s*(?:[\w{}\s,*$]+from\s*)?["'](\.\/[^"']+)["']/g)) {
    staticallyLoaded(path.normalize(match[1]!), seen);
  }
  return seen;
}

// Start-up speed, checked by structure rather than by timing: the everyday commands must not load yargs.
describe('the usrsvc bundle', () => {
  it('loads yargs only lazily (for help, completion and usage errors)', () => {
    const loaded = [...staticallyLoaded('bin.js')];
    expect(loaded.length).toBeGreaterThan(1);
    for (const file of loaded) {
      expect(fs.readFileSync(path.join(DIST, file), 'utf8'), file).not.toContain('YargsInstance');
    }
    const lazy = fs.readFileSync(path.join(DIST, 'bin.js'), 'utf8').match(/import\("(\.\/cli-[\w-]+\.js)"\)/);
    expect(lazy).not.toBeNull();
    expect(fs.readFileSync(path.join(DIST, lazy![1]!), 'utf8')).toContain('YargsInstance');
  });

  it('ships the project README for --readme', () => {
    expect(fs.readFileSync(path.join(DIST, 'usrsvc-README.md'), 'utf8')).toMatch(/^# usrsvc/);
  });
});

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DAEMON_NODE_FLAGS } from '@usrsvc/usrsvcd';
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
    const loadedLazily = [...staticallyLoaded(path.normalize(lazy![1]!))];
    expect(loadedLazily.some((file) => fs.readFileSync(path.join(DIST, file), 'utf8').includes('YargsInstance'))).toBe(true);
  });

  it('loads the logs command (@usrsvc/logs) only for `usrsvc logs`', () => {
    const marker = 'has the program written anything yet?';
    for (const file of staticallyLoaded('bin.js')) expect(fs.readFileSync(path.join(DIST, file), 'utf8'), file).not.toContain(marker);
    const lazy = fs.readFileSync(path.join(DIST, 'bin.js'), 'utf8').match(/import\("(\.\/runLogs-[\w-]+\.js)"\)/);
    expect(lazy).not.toBeNull();
    const loadedLazily = [...staticallyLoaded(path.normalize(lazy![1]!))];
    expect(loadedLazily.some((file) => fs.readFileSync(path.join(DIST, file), 'utf8').includes(marker))).toBe(true);
  });

  it("runs usrsvcd with the daemon's V8 flags, as @usrsvc/usrsvcd's own bin does", () => {
    const shebang = fs.readFileSync(path.join(DIST, 'usrsvcd.js'), 'utf8').split('\n')[0];
    expect(shebang).toBe(`#!/usr/bin/env -S node ${DAEMON_NODE_FLAGS.join(' ')}`);
  });

  it('ships the project README for --readme', () => {
    expect(fs.readFileSync(path.join(DIST, 'usrsvc-README.md'), 'utf8')).toMatch(/^# usrsvc/);
  });
});

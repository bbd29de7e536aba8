import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DAEMON_NODE_FLAGS } from '@usrsvc/usrsvcd';
import { describe, expect, it } from 'vitest';

const DIST = fileURLToPath(new URL('../dist/', import.meta.url));

const CLI_BUNDLE = path.join(DIST, 'usrsvc-cli.cjs');

/**
 * The module whose lazy initialiser (esbuild's `var init_x=__esm({"path"(){...}})`, run on first
 * import) holds `marker`. esbuild keeps function declarations outside (compiled only when called),
 * so the marker must be code a module runs when it loads.
 */
function moduleHolding(source: string, marker: string): { path: string; init: string } | undefined {
  const at = source.indexOf(marker);
  expect(at, marker).toBeGreaterThan(0);
  let found: { path: string; init: string } | undefined;
  for (const header of source.matchAll(/var (init_\w+)=__esm\(\{"([^"]+)"/g)) {
    if (header.index > at) break;
    found = { path: header[2]!, init: header[1]! };
  }
  return found;
}

// Start-up speed, checked by structure rather than by timing: the everyday commands must not run
// yargs' or the logs command's modules (they are in the one CommonJS bundle, but run only when
// main.ts imports them).
describe('the usrsvc bundle', () => {
  const source = fs.readFileSync(CLI_BUNDLE, 'utf8');

  it('runs yargs only lazily (for help, completion and usage errors)', () => {
    expect(moduleHolding(source, 'YargsInstance=class')?.path).toMatch(/\/yargs@/);
    // main.ts's `await import('./cli.js')`, and nothing else, runs the yargs CLI.
    expect(source.match(/init_cli\(\)/g)).toHaveLength(1);
    expect(source).toContain('Promise.resolve().then(()=>(init_cli(),cli_exports))');
  });

  it('runs the logs command (@usrsvc/logs) only for `usrsvc logs`', () => {
    expect(source.match(/init_runLogs\(\)/g)).toHaveLength(1);
    expect(source).toContain('Promise.resolve().then(()=>(init_runLogs(),runLogs_exports))');
  });

  it('runs the CLI bundle through its bin, which knows the bundle by its SHA-256', () => {
    const bin = fs.readFileSync(path.join(DIST, 'usrsvc.cjs'), 'utf8');
    expect(bin.split('\n')[0]).toBe('#!/usr/bin/env node');
    const sha256 = createHash('sha256').update(fs.readFileSync(CLI_BUNDLE)).digest('hex');
    expect(bin).toContain(`"${sha256}"`);
    expect(bin).not.toMatch(/require\("(?!node:)/); // built-ins only: nothing to resolve
  });

  it("runs usrsvcd with the daemon's V8 flags, as @usrsvc/usrsvcd's own bin does", () => {
    const shebang = fs.readFileSync(path.join(DIST, 'usrsvcd.cjs'), 'utf8').split('\n')[0];
    expect(shebang).toBe(`#!/usr/bin/env -S node ${DAEMON_NODE_FLAGS.join(' ')}`);
  });

  it('ships the project README for --readme', () => {
    expect(fs.readFileSync(path.join(DIST, 'usrsvc-README.md'), 'utf8')).toMatch(/^# usrsvc/);
  });
});

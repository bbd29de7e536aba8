import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DAEMON_NODE_FLAGS } from './nodeFlags.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const manifest = JSON.parse(fs.readFileSync(`${packageDir}/package.json`, 'utf8')) as { bin: Record<string, string>; files: string[] };
const bin = `${packageDir}/${manifest.bin.usrsvcd}`;

describe("the package's usrsvcd bin", () => {
  it('is a committed file outside dist/ (which .gitignore leaves out), so pnpm links it on a fresh clone before the build', () => {
    expect(manifest.bin.usrsvcd).toBe('./bin/usrsvcd.js');
    expect(manifest.files).toContain('bin');
    expect(fs.statSync(bin).mode & 0o111).not.toBe(0);
  });

  it("runs the daemon's CLI with the daemon's V8 flags", () => {
    expect(fs.readFileSync(bin, 'utf8').split('\n')[0]).toBe(`#!/usr/bin/env -S node ${DAEMON_NODE_FLAGS.join(' ')}`);
    const help = spawnSync(bin, ['--help'], { encoding: 'utf8' });
    expect(help.status).toBe(138);
    expect(help.stdout).toContain('Usage: usrsvcd [action]');
  });
});

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { makeTempHome, type TempHome, waitFor } from '@usrsvc/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BIN } from './test-support/runCli.js';
import { writeConfig } from './test-support/testConfig.js';

// The V8 code cache of the CLI bundle (src/codeCache), through real runs of the built bin: where it
// goes, that a good cache is kept and used, and that anything doubtful is ignored and rewritten.
let home: TempHome;
let cacheHome: string;
beforeEach(() => {
  home = makeTempHome('usrsvc-code-cache-');
  writeConfig(home, { api: { command: 'sleep 40001' }, worker: { command: 'sh -c "sleep 40002"' } });
  cacheHome = home.path('xdg-cache');
});
afterEach(() => home.remove());

function usrsvc(args: string[], env: NodeJS.ProcessEnv = { XDG_CACHE_HOME: cacheHome }, options: { uid?: number } = {}) {
  const run = spawnSync(process.execPath, [BIN, ...args], { env: home.env(env), encoding: 'utf8', ...options });
  // The clock in "[Wed Dec  2 05:26:09 2026] - api is NOT running" is not the code cache's business.
  const withoutClock = (text: string) => text.replace(/^\[\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}\]/gm, '[clock]');
  return { code: run.status, stdout: withoutClock(run.stdout), stderr: withoutClock(run.stderr) };
}

/** A cache file whose payload is garbled but whose CRC and length say it is whole. */
function withBadPayload(file: Buffer): Buffer {
  const header = 16 + 40; // magic, bundle identity (src/codeCache/cacheFile.ts)
  const bad = Buffer.from(file);
  for (let i = header + 8 + 200; i < bad.length; i += 97) bad[i]! ^= 0x5a;
  bad.writeUInt32BE(zlib.crc32(bad.subarray(header + 8)), header);
  return bad;
}

const cacheFiles = (dir = path.join(cacheHome, 'usrsvc')) =>
  fs.existsSync(dir) ? fs.readdirSync(dir).filter((name) => name.endsWith('.v8cache')).map((name) => path.join(dir, name)) : [];

/** The one cache file, after a run that had to write it. */
function theCacheFile(dir?: string): string {
  const files = cacheFiles(dir);
  expect(files).toHaveLength(1);
  return files[0]!;
}

/** What `usrsvc status` prints without any cache: the reference every cached run must match. */
function uncachedStatus(args: string[]) {
  return usrsvc(args, { USRSVC_NO_CODE_CACHE: '1' });
}

describe('the CLI code cache', () => {
  it('is written on the first run into $XDG_CACHE_HOME/usrsvc (0700, file 0600), then used unchanged', () => {
    const reference = uncachedStatus(['status', '--json']);
    expect(JSON.parse(reference.stdout)).toHaveLength(2);
    expect(cacheFiles()).toEqual([]);

    const first = usrsvc(['status', '--json']);
    expect(first).toEqual(reference);
    const file = theCacheFile();
    expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const written = fs.statSync(file);

    for (const args of [['status', '--json'], ['status'], ['status', 'api']]) {
      expect(usrsvc(args), args.join(' ')).toEqual(uncachedStatus(args));
    }
    // A cache the loader did not trust would have been replaced (a new file renamed over it).
    const after = fs.statSync(file);
    expect([after.ino, after.mtimeMs]).toEqual([written.ino, written.mtimeMs]);
  });

  it('goes to ~/.cache/usrsvc without XDG_CACHE_HOME, and nowhere when neither it nor HOME is absolute', () => {
    const reference = uncachedStatus(['status']);
    expect(usrsvc(['status'], {})).toEqual(reference);
    theCacheFile(home.path('.cache', 'usrsvc'));

    const relative = usrsvc(['--version'], { XDG_CACHE_HOME: 'relative/cache', HOME: 'relative-home' });
    expect(relative.code).toBe(138);
    expect(fs.existsSync(home.path('relative'))).toBe(false);
    expect(fs.existsSync(path.join(process.cwd(), 'relative'))).toBe(false);
  });

  it('ignores a corrupt cache (flipped bytes, truncated, another bundle) and rewrites it', () => {
    const reference = uncachedStatus(['status', 'api']);
    usrsvc(['status', 'api']);
    const file = theCacheFile();
    const good = fs.readFileSync(file);
    const flipped = Buffer.from(good);
    for (let i = 200; i < flipped.length; i += 97) flipped[i]! ^= 0x5a; // V8 itself would crash on this
    const otherBundle = Buffer.from(good);
    otherBundle[20]! ^= 0xff; // in the bundle's SHA-256
    for (const bad of [flipped, good.subarray(0, good.length - 1000), otherBundle, Buffer.from('not a cache')]) {
      fs.writeFileSync(file, bad);
      expect(usrsvc(['status', 'api'])).toEqual(reference);
      const rewritten = fs.statSync(file);
      expect(fs.readFileSync(file).equals(bad)).toBe(false);
      // ...and the rewritten one is trusted: the next run keeps it.
      expect(usrsvc(['status', 'api'])).toEqual(reference);
      expect(fs.statSync(file).ino).toBe(rewritten.ino);
    }
  });

  it('does not trust a cache file others may write, and replaces it with a private one', () => {
    usrsvc(['--version']);
    const file = theCacheFile();
    fs.chmodSync(file, 0o666);
    const before = fs.statSync(file).ino;
    expect(usrsvc(['--version']).code).toBe(138);
    expect(fs.statSync(file).ino).not.toBe(before);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('runs without a cache where the folder cannot be made', () => {
    const reference = uncachedStatus(['status']);
    // A path below a regular file, and a filesystem not even root can write.
    home.write('a-file', '');
    expect(usrsvc(['status'], { XDG_CACHE_HOME: home.path('a-file', 'cache') })).toEqual(reference);
    expect(usrsvc(['status'], { XDG_CACHE_HOME: '/proc/self' })).toEqual(reference);
    expect(usrsvc(['status'], { USRSVC_NO_CODE_CACHE: '1', XDG_CACHE_HOME: cacheHome })).toEqual(reference);
    expect(fs.existsSync(cacheHome)).toBe(false);
  });

  it.runIf(process.getuid?.() === 0)('runs without a cache in a read-only folder (run as another user)', () => {
    const nobody = 65_534;
    const readOnly = home.path('read-only');
    fs.mkdirSync(readOnly, { mode: 0o500 });
    fs.chownSync(readOnly, nobody, nobody);
    fs.chmodSync(home.dir, 0o755);
    const run = usrsvc(['--version'], { XDG_CACHE_HOME: readOnly }, { uid: nobody });
    expect(run.code, run.stderr).toBe(138);
    expect(fs.readdirSync(readOnly)).toEqual([]);
  });

  it.runIf(process.getuid?.() === 0)("as root, neither reads nor writes a cache in another user's folder", () => {
    const nobody = 65_534;
    const userCache = home.path('user-cache');
    fs.mkdirSync(userCache, { mode: 0o755 });
    fs.chownSync(userCache, nobody, nobody);
    const reference = uncachedStatus(['status']);
    expect(usrsvc(['status'], { XDG_CACHE_HOME: userCache })).toEqual(reference);
    expect(fs.readdirSync(userCache)).toEqual([]);

    // A cache the user planted is not run by root: here one that passes every check but the
    // owner's, with a payload V8 would crash on.
    usrsvc(['status']);
    const planted = path.join(userCache, 'usrsvc', path.basename(theCacheFile()));
    fs.mkdirSync(path.dirname(planted), { mode: 0o700 });
    fs.chownSync(path.dirname(planted), nobody, nobody);
    fs.writeFileSync(planted, withBadPayload(fs.readFileSync(theCacheFile())), { mode: 0o600 });
    fs.chownSync(planted, nobody, nobody);
    const before = fs.statSync(planted);
    expect(usrsvc(['status'], { XDG_CACHE_HOME: userCache })).toEqual(reference);
    const after = fs.statSync(planted);
    expect([after.ino, after.uid, after.mtimeMs]).toEqual([before.ino, nobody, before.mtimeMs]);
  });
});

// usrsvcd's bundle goes through the same loader, with caches of its own: one for its short-lived
// commands, one for the daemon (`--foreground`), whose start-up runs other functions.
describe('the usrsvcd code cache', () => {
  const USRSVCD = path.join(path.dirname(BIN), 'usrsvcd.cjs');
  const usrsvcd = (args: string[], env: NodeJS.ProcessEnv = { XDG_CACHE_HOME: cacheHome }) => {
    const run = spawnSync(process.execPath, [USRSVCD, ...args], { env: home.env(env), encoding: 'utf8' });
    return { code: run.status, stdout: run.stdout, stderr: run.stderr };
  };
  const cachesOf = (name: string) => cacheFiles().filter((file) => new RegExp(`^${name}-[0-9a-f]{16}-v8-`).test(path.basename(file)));

  it('keeps a cache for its commands apart from the CLI, and ignores a corrupt one', () => {
    const reference = usrsvcd(['checkconfig'], { USRSVC_NO_CODE_CACHE: '1' });
    expect(reference.code, reference.stderr).toBe(0);
    expect(usrsvcd(['checkconfig'])).toEqual(reference);
    const [file] = cachesOf('usrsvcd');
    expect(file).toBeDefined();
    expect(cachesOf('cli')).toEqual([]);
    expect(usrsvcd(['checkconfig'])).toEqual(reference);
    const good = fs.readFileSync(file!);
    const flipped = Buffer.from(good);
    for (let i = 200; i < flipped.length; i += 97) flipped[i]! ^= 0x5a;
    fs.writeFileSync(file!, flipped);
    expect(usrsvcd(['checkconfig'])).toEqual(reference);
    expect(fs.readFileSync(file!).equals(flipped)).toBe(false);
  });

  it('writes the daemon its own cache when it exits', async () => {
    home.write('usrsvc.cfg', `[Main]\npidfile = ${home.path('usrsvcd.pid')}\n`); // no programs to start
    const daemon = spawn(process.execPath, [USRSVCD, '--foreground'], { env: home.env({ XDG_CACHE_HOME: cacheHome }), stdio: 'ignore' });
    try {
      await waitFor('the daemon to write its pidfile', () => fs.existsSync(home.path('usrsvcd.pid')), { timeoutMs: 15_000 });
      expect(cachesOf('usrsvcd-daemon')).toEqual([]);
    } finally {
      const exited = new Promise((resolve) => daemon.once('exit', resolve));
      daemon.kill('SIGTERM');
      await exited;
    }
    expect(cachesOf('usrsvcd-daemon')).toHaveLength(1);
    expect(cachesOf('usrsvcd')).toEqual([]);
  });
});

import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { isOurs } from './cacheDir.js';

// A cache file: MAGIC, the bundle's identity (see bundleIdentity), the payload's CRC-32 and
// length, then the payload (V8's cached data). V8 checks only the source's length, its own version
// and its flags, not the payload (a flipped byte can crash it), hence the CRC. CRC-32 rather than
// a cryptographic hash: node:crypto costs more to load than the whole check (the folder is the
// user's own, 0700; the checks are against accidents, not against the user).
const MAGIC = Buffer.from('usrsvc-v8-cache2');
const PAYLOAD_CHECK_BYTES = 8;

/** Whether this Node can check cache files (zlib.crc32: Node 20.15+); without it, no cache. */
export const canCheck = (): boolean => typeof zlib.crc32 === 'function';

/**
 * What a cache must have been written for: the SHA-256 the build computed of the bundle, and the
 * CRC-32 and length of the bundle as read now (so a bundle changed in place is not trusted either).
 */
export function bundleIdentity(buildSha256: string, source: Buffer): Buffer {
  const identity = Buffer.alloc(40);
  identity.write(buildSha256, 0, 32, 'hex');
  identity.writeUInt32BE(zlib.crc32(source), 32);
  identity.writeUInt32BE(source.length, 36);
  return identity;
}

/**
 * The cache file for this bundle under this Node: one per bundle and V8 version. `name` tells the
 * bundles (and roles) apart: `cli`, `usrsvcd` (its short-lived commands), `usrsvcd-daemon`.
 */
export function cacheFileName(name: string, identity: Buffer): string {
  return `${name}-${identity.subarray(0, 8).toString('hex')}-v8-${process.versions.v8}-${process.arch}.v8cache`;
}

/**
 * The cached data written for this bundle identity, or undefined: missing, unreadable, not this
 * user's own (or writable by others), or not exactly what writeCodeCache wrote for this bundle.
 */
export function readCodeCache(file: string, identity: Buffer, euid: number): Buffer | undefined {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
  } catch {
    return undefined;
  }
  try {
    const stat = fs.fstatSync(fd);
    const header = MAGIC.length + identity.length + PAYLOAD_CHECK_BYTES;
    if (!stat.isFile() || !isOurs(stat, euid) || stat.size <= header) return undefined;
    const data = Buffer.allocUnsafe(stat.size);
    if (fs.readSync(fd, data, 0, stat.size, 0) !== stat.size) return undefined;
    if (!data.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
    if (!data.subarray(MAGIC.length, MAGIC.length + identity.length).equals(identity)) return undefined;
    const payload = data.subarray(header);
    const check = MAGIC.length + identity.length;
    if (data.readUInt32BE(check) !== zlib.crc32(payload) || data.readUInt32BE(check + 4) !== payload.length) return undefined;
    return payload;
  } catch {
    return undefined;
  } finally {
    fs.closeSync(fd);
  }
}

/** Writes the cache atomically (a private temporary file renamed over it); false when it could not. */
export function writeCodeCache(file: string, identity: Buffer, payload: Buffer): boolean {
  const temporary = `${file}.${process.pid}.tmp`;
  const check = Buffer.alloc(PAYLOAD_CHECK_BYTES);
  check.writeUInt32BE(zlib.crc32(payload), 0);
  check.writeUInt32BE(payload.length, 4);
  try {
    fs.writeFileSync(temporary, Buffer.concat([MAGIC, identity, check, payload]), { mode: 0o600, flag: 'wx' });
    fs.renameSync(temporary, file);
    return true;
  } catch {
    fs.rmSync(temporary, { force: true });
    return false;
  }
}

/** Removes the caches of `name`'s other bundles written before this bundle was installed (older versions'). */
export function pruneOlderCaches(dir: string, name: string, keep: string, bundleMtimeMs: number): void {
  // The hex bundle id follows the name: `usrsvcd-` does not match `usrsvcd-daemon-...`.
  const older = new RegExp(`^${name}-[0-9a-f]{16}-v8-.*\\.v8cache$`);
  try {
    for (const entry of fs.readdirSync(dir)) {
      if (entry === keep || !older.test(entry)) continue;
      const file = path.join(dir, entry);
      if (fs.lstatSync(file).mtimeMs < bundleMtimeMs) fs.rmSync(file, { force: true });
    }
  } catch {
    // Tidiness only.
  }
}

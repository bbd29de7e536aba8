import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { TokenFileError } from './errors.js';

/** What a token lets its holder do. */
export type Access = 'admin' | 'read-only' | 'metrics';

export interface WebTokens {
  /** Sees everything and acts (start, stop, restart, reread). */
  admin: string;
  /** Sees the page and the logs, acts on nothing. */
  readOnly: string;
  /** Reads /metrics only (for a Prometheus scrape config). */
  metrics: string;
}

const FILES: Record<keyof WebTokens, string> = {
  admin: 'web-token',
  readOnly: 'web-readonly-token',
  metrics: 'web-metrics-token',
};

/** Reads the tokens from the (0700) state folder, creating each missing one with mode 0600. */
export function loadOrCreateTokens(stateDir: string): WebTokens {
  const read = (key: keyof WebTokens) => loadOrCreateToken(path.join(stateDir, FILES[key]));
  return { admin: read('admin'), readOnly: read('readOnly'), metrics: read('metrics') };
}

/** Reads the tokens without creating any; undefined when usrsvc-web never ran for this state folder. */
export function readTokens(stateDir: string): WebTokens | undefined {
  try {
    const read = (key: keyof WebTokens) => readToken(path.join(stateDir, FILES[key]));
    return { admin: read('admin'), readOnly: read('readOnly'), metrics: read('metrics') };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

export function tokenFile(stateDir: string, key: keyof WebTokens): string {
  return path.join(stateDir, FILES[key]);
}

function loadOrCreateToken(file: string): string {
  const token = crypto.randomBytes(32).toString('base64url');
  try {
    fs.writeFileSync(file, `${token}\n`, { mode: 0o600, flag: 'wx' });
    return token;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return readToken(file);
}

function readToken(file: string): string {
  const stat = fs.lstatSync(file);
  if (!stat.isFile()) throw new TokenFileError(file, 'not a regular file');
  if (stat.uid !== process.getuid?.()) throw new TokenFileError(file, `owned by uid ${stat.uid}`);
  if ((stat.mode & 0o077) !== 0) fs.chmodSync(file, 0o600);
  const token = fs.readFileSync(file, 'utf8').trim();
  if (token.length < 16) throw new TokenFileError(file, 'holds no token (delete it to make a new one)');
  return token;
}

/** Which access a presented token gives, compared in constant time. */
export function accessOf(tokens: WebTokens, presented: string | undefined): Access | undefined {
  if (!presented) return undefined;
  if (sameSecret(tokens.admin, presented)) return 'admin';
  if (sameSecret(tokens.readOnly, presented)) return 'read-only';
  if (sameSecret(tokens.metrics, presented)) return 'metrics';
  return undefined;
}

function sameSecret(expected: string, presented: string): boolean {
  const a = crypto.createHash('sha256').update(expected).digest();
  const b = crypto.createHash('sha256').update(presented).digest();
  return crypto.timingSafeEqual(a, b);
}

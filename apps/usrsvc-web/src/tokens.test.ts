import fs from 'node:fs';
import { makeTempHome, type TempHome } from '@usrsvc/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TokenFileError } from './errors.js';
import { accessOf, loadOrCreateTokens, readTokens, tokenFile } from './tokens.js';

describe('web tokens', () => {
  let home: TempHome;
  beforeEach(() => {
    home = makeTempHome();
  });
  afterEach(() => home.remove());

  it('makes three distinct tokens once, 0600, and reads the same ones afterwards', () => {
    expect(readTokens(home.dir)).toBeUndefined();
    const first = loadOrCreateTokens(home.dir);
    expect(new Set([first.admin, first.readOnly, first.metrics]).size).toBe(3);
    for (const token of Object.values(first)) expect(token).toMatch(/^[\w-]{43}$/);
    for (const key of ['admin', 'readOnly', 'metrics'] as const) expect(fs.statSync(tokenFile(home.dir, key)).mode & 0o777).toBe(0o600);
    expect(loadOrCreateTokens(home.dir)).toEqual(first);
    expect(readTokens(home.dir)).toEqual(first);
  });

  it('tightens a token file others can read, and refuses an empty one', () => {
    const tokens = loadOrCreateTokens(home.dir);
    fs.chmodSync(tokenFile(home.dir, 'admin'), 0o644);
    expect(loadOrCreateTokens(home.dir).admin).toBe(tokens.admin);
    expect(fs.statSync(tokenFile(home.dir, 'admin')).mode & 0o777).toBe(0o600);
    fs.writeFileSync(tokenFile(home.dir, 'readOnly'), '\n');
    expect(() => loadOrCreateTokens(home.dir)).toThrow(TokenFileError);
  });

  it('tells which access a token gives', () => {
    const tokens = loadOrCreateTokens(home.dir);
    expect(accessOf(tokens, tokens.admin)).toBe('admin');
    expect(accessOf(tokens, tokens.readOnly)).toBe('read-only');
    expect(accessOf(tokens, tokens.metrics)).toBe('metrics');
    expect(accessOf(tokens, `${tokens.admin}x`)).toBeUndefined();
    expect(accessOf(tokens, '')).toBeUndefined();
    expect(accessOf(tokens, undefined)).toBeUndefined();
  });
});

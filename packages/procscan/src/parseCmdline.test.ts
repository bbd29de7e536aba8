import { describe, expect, it } from 'vitest';
import { parseCmdline } from './parseCmdline.js';

const bytes = (text: string) => Buffer.from(text, 'utf8');

describe('parseCmdline', () => {
  it('splits NUL-terminated arguments exactly, keeping spaces and empty arguments', () => {
    expect(parseCmdline(bytes('sleep\x0060\x00'))).toEqual(['sleep', '60']);
    expect(parseCmdline(bytes('prog\x00a b\x00\x00c\x00'))).toEqual(['prog', 'a b', '', 'c']);
    expect(parseCmdline(bytes('prog\x00x\x00\x00\x00'))).toEqual(['prog', 'x', '', '']);
    expect(parseCmdline(bytes('prog\x00\x00'))).toEqual(['prog', '']);
    expect(parseCmdline(bytes('\x00'))).toEqual(['']);
  });

  it('gives [] for kernel threads and zombies (empty cmdline)', () => {
    expect(parseCmdline(Buffer.alloc(0))).toEqual([]);
  });

  it('reads a rewritten title without NULs as one argument', () => {
    expect(parseCmdline(bytes('myservice: worker 3 [idle]'))).toEqual(['myservice: worker 3 [idle]']);
  });

  it('reads a rewritten title padded with NULs as one argument', () => {
    expect(parseCmdline(bytes(`node title here${'\x00'.repeat(40)}`))).toEqual(['node title here']);
  });

  it('keeps non-ASCII arguments', () => {
    expect(parseCmdline(bytes('écho\x00日本\x00'))).toEqual(['écho', '日本']);
  });
});

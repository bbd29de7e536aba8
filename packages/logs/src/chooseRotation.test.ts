import { describe, expect, it } from 'vitest';
import { chooseRotation } from './chooseRotation.js';
import type { FileWriter } from './fileWriters.js';

const writer = (fd: number, append: boolean): FileWriter => ({ pid: 100 + fd, fd, flags: append ? 0o2001 : 0o1, append, writable: true });

describe('chooseRotation', () => {
  it('renames a file nobody holds', () => expect(chooseRotation([], false)).toBe('rename'));
  it("copy-truncates the launcher's O_APPEND stdout/stderr, even with a reopen signal", () => {
    expect(chooseRotation([writer(1, true), writer(2, true)], false)).toBe('copy-truncate');
    expect(chooseRotation([writer(1, true)], true)).toBe('copy-truncate');
  });
  it('renames and signals a file the program opened itself, when it has a reopen signal', () => {
    expect(chooseRotation([writer(5, false)], true)).toBe('rename-and-signal');
    expect(chooseRotation([writer(1, false)], true)).toBe('rename-and-signal');
    expect(chooseRotation([writer(7, true)], true)).toBe('rename-and-signal');
  });
  it('copy-truncates a program-opened O_APPEND file without a reopen signal', () => expect(chooseRotation([writer(5, true)], false)).toBe('copy-truncate'));
  it('refuses a writer without O_APPEND and no way to make it reopen', () => {
    expect(chooseRotation([writer(5, false)], false)).toBe('refuse');
    expect(chooseRotation([writer(1, true), writer(5, false)], true)).toBe('refuse');
  });
});

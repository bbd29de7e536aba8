import { describe, expect, it } from 'vitest';
import { ctime } from './ctime.js';

describe('ctime', () => {
  it("pads a one-digit day with a space, as Python's time.ctime()", () => {
    expect(ctime(new Date(2016, 2, 8, 22, 14, 34))).toBe('Tue Mar  8 22:14:34 2016');
  });

  it('pads hours, minutes and seconds with zeros', () => {
    expect(ctime(new Date(2026, 10, 24, 5, 3, 9))).toBe('Tue Nov 24 05:03:09 2026');
  });
});

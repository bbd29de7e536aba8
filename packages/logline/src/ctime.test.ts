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

describe('ctime at a UTC offset', () => {
  it("is this process's local time when given this process's offset", () => {
    const date = new Date(2026, 11, 2, 9, 5, 7);
    expect(ctime(date, date.getTimezoneOffset())).toBe(ctime(date));
  });

  it('is the local time of another zone: -330 is UTC+5:30', () => {
    expect(ctime(new Date(Date.UTC(2016, 2, 8, 22, 14, 34)), -330)).toBe('Wed Mar  9 03:44:34 2016');
    expect(ctime(new Date(Date.UTC(2016, 2, 8, 22, 14, 34)), 0)).toBe('Tue Mar  8 22:14:34 2016');
  });
});

import { describe, expect, it } from 'vitest';
import { ctime, formatLine } from './log.js';

describe('ctime', () => {
  it('formats like Python time.ctime(), day space-padded', () => {
    expect(ctime(new Date(2016, 2, 8, 22, 14, 34))).toBe('Tue Mar  8 22:14:34 2016');
    expect(ctime(new Date(2026, 10, 24, 5, 3, 9))).toBe('Tue Nov 24 05:03:09 2026');
  });

  it('writes one line per event with its subject', () => {
    expect(formatLine('web', 'started', new Date(2016, 2, 8, 22, 14, 34))).toBe(
      '[Tue Mar  8 22:14:34 2016] - (web) - started\n',
    );
  });
});

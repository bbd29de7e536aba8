import { describe, expect, it } from 'vitest';
import { formatLine } from './log.js';

describe('formatLine', () => {
  it('writes one line per event with its subject', () => {
    expect(formatLine('web', 'started', new Date(2016, 2, 8, 22, 14, 34))).toBe(
      '[Tue Mar  8 22:14:34 2016] - (web) - started\n',
    );
  });
});

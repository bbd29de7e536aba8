import { describe, expect, it } from 'vitest';
import { formatDuration, formatMemory } from './format.js';

describe('formatDuration', () => {
  it('shows the two largest units', () => {
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(12)).toBe('12s');
    expect(formatDuration(303)).toBe('5m 3s');
    expect(formatDuration(7_500)).toBe('2h 5m');
    expect(formatDuration(3 * 86_400 + 4 * 3_600 + 59)).toBe('3d 4h');
    expect(formatDuration(3_600)).toBe('1h');
  });
});

describe('formatMemory', () => {
  it('uses kB, MB or GB', () => {
    expect(formatMemory(812)).toBe('812 kB');
    expect(formatMemory(12_595)).toBe('12.3 MB');
    expect(formatMemory(1_258_291)).toBe('1.20 GB');
  });
});

import { describe, expect, it } from 'vitest';
import { closestMatch, editDistance } from './didYouMean.js';

describe('didYouMean', () => {
  it('measures edit distance', () => {
    expect(editDistance('max_restarts', 'maxrestarts')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('suggests the closest key, and nothing when all are far', () => {
    expect(closestMatch('max_restarts', ['maxrestarts', 'restart_delay'])).toBe('maxrestarts');
    expect(closestMatch('Comand', ['command', 'pidfile'])).toBe('command');
    expect(closestMatch('zzzzzz', ['command', 'pidfile'])).toBeUndefined();
  });
});

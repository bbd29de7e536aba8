import { describe, expect, it } from 'vitest';
import { colorsEnabled, makeColors } from './colors.js';

describe('colorsEnabled', () => {
  it('colours a terminal only', () => {
    expect(colorsEnabled({ isTTY: true }, {})).toBe(true);
    expect(colorsEnabled({ isTTY: false }, {})).toBe(false);
    expect(colorsEnabled({}, {})).toBe(false);
    expect(colorsEnabled({ isTTY: true }, { TERM: 'dumb' })).toBe(false);
  });

  it('never colours with NO_COLOR, even when forced', () => {
    expect(colorsEnabled({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(colorsEnabled({ isTTY: true }, { NO_COLOR: '1', FORCE_COLOR: '1' })).toBe(false);
    expect(colorsEnabled({ isTTY: true }, { NO_COLOR: '' })).toBe(true);
  });

  it('colours any stream with FORCE_COLOR', () => {
    expect(colorsEnabled({ isTTY: false }, { FORCE_COLOR: '1' })).toBe(true);
    expect(colorsEnabled({ isTTY: true }, { FORCE_COLOR: '0' })).toBe(false);
  });
});

describe('makeColors', () => {
  it('leaves text alone when disabled', () => {
    expect(makeColors(false).red('x')).toBe('x');
    expect(makeColors(true).red('x')).toBe('\u001b[31mx\u001b[39m');
  });
});

import { describe, expect, it } from 'vitest';
import { parseExitStatus, readExitStatus } from './exitStatus.js';

const zombieStat = (raw: number, ticks = 123) =>
  `42 (sh (x)) Z 1 42 42 0 -1 4227084 0 0 0 0 0 0 0 0 20 0 1 0 ${ticks} 0 0 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0 0 0 0 0 0 0 0 ${raw}\n`;

describe('parseExitStatus', () => {
  it('reads an exit code and a signal in waitpid format', () => {
    expect(parseExitStatus(zombieStat(3 << 8), 123)).toEqual({ exitCode: 3, signal: null });
    expect(parseExitStatus(zombieStat(9), 123)).toEqual({ exitCode: null, signal: 'SIGKILL' });
    expect(parseExitStatus(zombieStat(0), 123)).toEqual({ exitCode: 0, signal: null });
  });
  it('refuses another process or a living one', () => {
    expect(parseExitStatus(zombieStat(0, 124), 123)).toBeUndefined();
    expect(parseExitStatus(zombieStat(0).replace(' Z ', ' S '), 123)).toBeUndefined();
  });
  it('is undefined for a pid that does not exist', () => {
    expect(readExitStatus({ pid: 2 ** 22 + 7, startTicks: 1 })).toBeUndefined();
  });
});

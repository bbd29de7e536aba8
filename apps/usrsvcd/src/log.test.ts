import { describe, expect, it } from 'vitest';
import { formatJsonLine, formatLine } from './log.js';

describe('formatLine', () => {
  it('writes one line per event with its subject', () => {
    expect(formatLine('web', 'started', new Date(2016, 2, 8, 22, 14, 34))).toBe(
      '[Tue Mar  8 22:14:34 2016] - (web) - started\n',
    );
  });
});

describe('formatJsonLine', () => {
  it('writes one JSON object per event: ISO time, level, program, message and the fields given', () => {
    const date = new Date(Date.UTC(2026, 10, 29, 8, 0, 0, 5));
    const line = formatJsonLine('warning', 'web', 'exited with code 3', { event: 'exited', pid: 42, attempt: 2, exitCode: 3, signal: undefined }, date);
    expect(line.endsWith('\n')).toBe(true);
    expect(line.trimEnd()).not.toContain('\n');
    expect(JSON.parse(line)).toEqual({
      time: '2026-11-29T08:00:00.005Z',
      level: 'warning',
      program: 'web',
      message: 'exited with code 3',
      event: 'exited',
      pid: 42,
      attempt: 2,
      exitCode: 3,
    });
  });

  it('keeps a message with newlines and quotes on one line', () => {
    expect(JSON.parse(formatJsonLine('error', 'usrsvcd', 'a\n"b"')).message).toBe('a\n"b"');
  });
});

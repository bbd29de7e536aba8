import { describe, expect, it } from 'vitest';
import { parseStopSignal } from './stopSignal.js';

describe('parseStopSignal', () => {
  it('takes every accepted name with or without SIG, in any case', () => {
    expect(parseStopSignal('TERM')).toBe('SIGTERM');
    expect(parseStopSignal('sigint')).toBe('SIGINT');
    expect(parseStopSignal(' Quit ')).toBe('SIGQUIT');
    for (const name of ['HUP', 'USR1', 'USR2', 'KILL']) expect(parseStopSignal(name)).toBe(`SIG${name}`);
  });

  it('refuses signals that cannot stop a program, numbers and unknown names', () => {
    for (const text of ['STOP', 'CHLD', '15', '', 'SIG', 'TERMX']) expect(parseStopSignal(text)).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { describeDiff, diffPrograms } from './configDiff.js';

const program = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  file: '/h/usrsvc.cfg',
  line: 3,
  command: `sleep ${name}`,
  proctitleRe: /sleep x$/,
  restartDelay: 0,
  env: { A: '1' },
  ...extra,
});

describe('diffPrograms', () => {
  it('reports added, removed and changed programs with the changed keys', () => {
    const before = new Map([
      ['a', program('a')],
      ['b', program('b')],
      ['c', program('c')],
    ]);
    const after = new Map([
      ['a', program('a', { line: 9 })],
      ['b', program('b', { restartDelay: 3, env: { A: '2' }, proctitleRe: /sleep y$/ })],
      ['d', program('d')],
    ]);
    const diff = diffPrograms(before, after);
    expect(diff).toEqual({
      added: ['d'],
      removed: ['c'],
      changed: [{ name: 'b', keys: ['proctitle_re', 'restart_delay', 'Env'] }],
    });
    expect(describeDiff(diff)).toBe('added: d; removed: c; changed: b (proctitle_re, restart_delay, Env)');
  });

  it('says none when nothing changed', () => {
    const same = new Map([['a', program('a')]]);
    expect(describeDiff(diffPrograms(same, new Map(same)))).toBe('added: none; removed: none; changed: none');
  });
});

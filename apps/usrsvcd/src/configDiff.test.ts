import { describe, expect, it } from 'vitest';
import { describeDiff, diffPrograms, isScaledDownInstance } from './configDiff.js';

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

describe('instances', () => {
  const instance = (k: number, count: number) => program(`w@${k}`, { instanceOf: 'w', instance: k, instances: count });
  const map = (...programs: ReturnType<typeof program>[]) => new Map(programs.map((p) => [p.name, p]));

  it('3 -> 2: w@2 is removed and to be stopped; the count is not a change of w@0 or w@1', () => {
    const before = map(instance(0, 3), instance(1, 3), instance(2, 3));
    const after = map(instance(0, 2), instance(1, 2));
    expect(diffPrograms(before, after)).toEqual({ added: [], removed: ['w@2'], changed: [] });
    expect(isScaledDownInstance(before.get('w@2')!, after)).toBe(true);
  });

  it('a program removed altogether, or one without instances, is not scaled down', () => {
    expect(isScaledDownInstance(instance(0, 1), map(program('other')))).toBe(false);
    expect(isScaledDownInstance(program('plain'), map())).toBe(false);
    expect(isScaledDownInstance(instance(0, 2), map(program('w')))).toBe(true);
  });
});

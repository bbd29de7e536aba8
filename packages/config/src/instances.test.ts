import { describe, expect, it } from 'vitest';
import { expandInstanceFields, hasInstanceField, parseInstanceName, resolveProgramName } from './instances.js';

describe('instance placeholders', () => {
  it('expands %(instance)d and %(process_num)d with printf flags and widths', () => {
    expect(expandInstanceFields('/run/w-%(instance)d.pid', 3)).toBe('/run/w-3.pid');
    expect(expandInstanceFields('w%(instance)02d %(process_num)03d', 7)).toBe('w07 007');
    expect(expandInstanceFields('[%(instance)-3d]', 1)).toBe('[1  ]');
    expect(expandInstanceFields('[%(instance)3d]', 12)).toBe('[ 12]');
    expect(expandInstanceFields('%(instance)02d', 123)).toBe('123');
  });

  it('leaves other % text alone', () => {
    expect(expandInstanceFields('date +%s %(program_name)s 100%', 2)).toBe('date +%s %(program_name)s 100%');
  });

  it('tells whether a value varies with the instance', () => {
    expect(hasInstanceField('/run/w.pid')).toBe(false);
    expect(hasInstanceField('/run/w-%(process_num)02d.pid')).toBe(true);
  });

  it('reads NAME@k', () => {
    expect(parseInstanceName('web@2')).toEqual({ program: 'web', instance: 2 });
    expect(parseInstanceName('web@02')).toBeUndefined();
    expect(parseInstanceName('web')).toBeUndefined();
  });

  it('resolves a name to the program or to all its instances', () => {
    const programs = new Map([
      ['db', { name: 'db' }],
      ['w@0', { name: 'w@0', instanceOf: 'w' }],
      ['w@1', { name: 'w@1', instanceOf: 'w' }],
    ]);
    expect(resolveProgramName(programs, 'db').map((p) => p.name)).toEqual(['db']);
    expect(resolveProgramName(programs, 'w').map((p) => p.name)).toEqual(['w@0', 'w@1']);
    expect(resolveProgramName(programs, 'w@1').map((p) => p.name)).toEqual(['w@1']);
    expect(resolveProgramName(programs, 'x')).toEqual([]);
  });
});

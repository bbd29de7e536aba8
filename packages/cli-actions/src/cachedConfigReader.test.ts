import { makeTempHome, type TempHome } from '@usrsvc/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { cachedConfigReader } from './cachedConfigReader.js';

let home: TempHome;
afterEach(() => home?.remove());

const program = (name: string, logs = 'logs') => `[Program:${name}]\ncommand = sleep 1000\npidfile = ${home.path(`${name}.pid`)}\nstdout = ${home.path(logs, `${name}.log`)}\n`;
/** The reader's clock: past the settle time of every file, as for a config written a while ago. */
let clock = 0;
const later = () => clock;

describe('cachedConfigReader', () => {
  it('gives the same config while nothing it was read from changed, and reads again when something did', () => {
    home = makeTempHome('usrsvc-cached-config-');
    home.write('usrsvc.cfg', `[Main]\nconfig_dir = ${home.path('cfg')}\npidfile = ${home.path('d.pid')}\n`);
    home.write('logs/.keep', '');
    home.write('cfg/a.cfg', program('a'));
    clock = Date.now() + 10_000;
    const read = cachedConfigReader(later);
    const env = { HOME: home.dir };
    const first = read({ env });
    expect(read({ env })).toBe(first);
    home.write('cfg/a.cfg', program('b'));
    const second = read({ env });
    expect([...second.programs.keys()]).toEqual(['b']);
    // Read again while the change is young, kept once it has settled.
    clock = Date.now();
    expect(read({ env })).not.toBe(second);
    clock = Date.now() + 10_000;
    const third = read({ env });
    expect(read({ env })).toBe(third);
    expect(read({ env: { HOME: home.dir, USRSVC_CONFIG: home.path('usrsvc.cfg') } })).not.toBe(first);
  });

  it('never keeps a config that fails', () => {
    home = makeTempHome('usrsvc-cached-config-');
    home.write('usrsvc.cfg', `[Main]\npidfile = ${home.path('d.pid')}\n${program('a', 'nowhere')}`);
    const read = cachedConfigReader();
    expect(() => read({ env: { HOME: home.dir } })).toThrow();
    home.write('nowhere/.keep', '');
    expect([...read({ env: { HOME: home.dir } }).programs.keys()]).toEqual(['a']);
  });
});

import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { type ConfigInput, configInputsUnchanged } from './configInputs.js';
import { type ConfigHome, makeConfigHome, programSection } from './test-support/configHome.js';

let home: ConfigHome;
afterEach(() => home?.remove());

/** Reads the config recording its inputs; "now" is pushed past the settle time, as if the files were old. */
function readWithInputs(): ConfigInput[] {
  const inputs: ConfigInput[] = [];
  home.read({ inputs });
  return inputs;
}
const later = () => Date.now() + 10_000;

describe('configInputsUnchanged: whether readConfig would read the same now', () => {
  it('records the main file, the config_dir listing, each .cfg file and each folder a setting names', () => {
    home = makeConfigHome();
    home.files({ 'cfg/a.cfg': programSection('a'), 'cfg/b.cfg': programSection('b') });
    const inputs = readWithInputs();
    expect(inputs.map((input) => `${input.kind} ${input.path.replace(home.dir, '~')}`)).toEqual([
      'file ~/usrsvc.cfg',
      'listing ~/cfg',
      'file ~/cfg/a.cfg',
      'file ~/cfg/b.cfg',
      'folder ~/logs',
    ]);
    expect(configInputsUnchanged(inputs, later())).toBe(true);
  });

  it('sees a file rewritten with the same size, a file added or removed, a folder gone', () => {
    home = makeConfigHome();
    home.files({ 'cfg/a.cfg': programSection('a') });
    let inputs = readWithInputs();
    home.files({ 'cfg/a.cfg': programSection('x') });
    expect(configInputsUnchanged(inputs, later())).toBe(false);

    inputs = readWithInputs();
    home.files({ 'cfg/b.cfg': programSection('b') });
    expect(configInputsUnchanged(inputs, later())).toBe(false);

    inputs = readWithInputs();
    fs.rmSync(home.path('cfg', 'b.cfg'));
    expect(configInputsUnchanged(inputs, later())).toBe(false);

    inputs = readWithInputs();
    fs.renameSync(home.path('logs'), home.path('logs2'));
    expect(configInputsUnchanged(inputs, later())).toBe(false);
    fs.renameSync(home.path('logs2'), home.path('logs'));
    expect(configInputsUnchanged(inputs, later())).toBe(true);
  });

  it('never trusts a file changed within the settle time (a second write could share its timestamps)', () => {
    home = makeConfigHome();
    home.files({ 'cfg/a.cfg': programSection('a') });
    const inputs = readWithInputs();
    expect(configInputsUnchanged(inputs, Date.now())).toBe(false);
    expect(configInputsUnchanged(inputs, later())).toBe(true);
  });
});

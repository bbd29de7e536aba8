import { makeTempHome, type TempHome } from '@usrsvc/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ImportParseError } from './ImportParseError.js';
import { importConfig } from './importConfig.js';
import { fileOf, mappedOrNotYet } from './test-support/outcomes.js';

let home: TempHome;
beforeEach(() => {
  home = makeTempHome('usrsvc-import-procfile-');
});
afterEach(() => home.remove());

describe('Procfile', () => {
  it('one program a line, $PORT from --port-base (+100 each), a shell only where the line needs one', async () => {
    const file = home.write('app/Procfile', '# processes\r\nweb: bundle exec puma -p $PORT\r\nworker: bin/worker --queue default 2>&1 | tee -a log\r\n\r\n');
    const result = await importConfig('procfile', [file], { env: home.env(), portBase: 7000 });
    expect(fileOf(result, 'web')).toContain('\ncommand = bundle exec puma -p 7000\n');
    expect(fileOf(result, 'web')).not.toContain('useshell');
    expect(fileOf(result, 'web')).toMatch(/\[\[Env\]\]\n {2}PORT = 7000\n/);
    expect(fileOf(result, 'worker')).toContain('\nuseshell = True\n');
    expect(fileOf(result, 'worker')).toMatch(/PORT = 7100\n/);
    expect(mappedOrNotYet(result, 'web', 'web (Procfile folder)', 'directory')).toBe(true);
  });

  it('a line without "name: command" is a parse error naming file and line', async () => {
    const file = home.write('Procfile', 'web: ./run\nnot a process line\n');
    const error = await importConfig('procfile', [file]).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ImportParseError);
    expect((error as ImportParseError).line).toBe(2);
  });
});

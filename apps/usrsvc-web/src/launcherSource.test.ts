import { ReturnCodes, withProgramLock } from '@usrsvc/launcher';
import { makeTempHome, type TempHome } from '@usrsvc/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LauncherSource } from './launcherSource.js';

describe('LauncherSource.act: the launcher rule for codes and outcomes, as the CLI and usrsvcd', () => {
  let home: TempHome;
  beforeEach(() => {
    home = makeTempHome('usrsvc-web-launcher-');
    home.write('logs/.keep', '');
    home.write(
      'usrsvc.cfg',
      [
        '[Main]',
        `pidfile = ${home.path('usrsvcd.pid')}`,
        '[Program:broken]',
        `command = ${home.path('bin', 'missing')}`,
        `pidfile = ${home.path('broken.pid')}`,
        `stdout = ${home.path('logs', 'broken.log')}`,
        'success_seconds = 0.2',
        '[Program:off]',
        'command = sleep 4713',
        `pidfile = ${home.path('off.pid')}`,
        `stdout = ${home.path('logs', 'off.log')}`,
        'enabled = False',
        '',
      ].join('\n'),
    );
  });
  afterEach(() => home.remove());

  it('names an unknown program `undefined` (133) and a busy lock `lock-timeout` (11)', async () => {
    const source = new LauncherSource({ env: home.env(), lockTimeoutMs: 0 });
    expect(await source.act('ghost', 'start')).toMatchObject({
      code: ReturnCodes.PROGRAM_UNDEFINED,
      results: [{ name: 'ghost', outcome: 'undefined', code: ReturnCodes.PROGRAM_UNDEFINED }],
    });
    const busy = await withProgramLock('broken', { env: home.env() }, () => source.act('broken', 'start'));
    expect(busy).toMatchObject({ code: ReturnCodes.TRY_AGAIN, results: [{ outcome: 'lock-timeout' }] });
  });

  it('`all` exits 1 when a program failed, and answers a disabled one 132 without counting it', async () => {
    const response = await new LauncherSource({ env: home.env() }).act('all', 'start');
    expect(response.code).toBe(ReturnCodes.GENERAL_FAILURE);
    expect(response.results.map((r) => [r.name, r.outcome, r.code])).toEqual([
      ['broken', 'failed-to-launch', ReturnCodes.PROGRAM_FAILED_TO_LAUNCH],
      ['off', 'disabled', ReturnCodes.PROGRAM_DISABLED],
    ]);
  });
});

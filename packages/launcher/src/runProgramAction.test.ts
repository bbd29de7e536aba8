import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { withProgramLock } from './programLock.js';
import { ReturnCodes } from './returnCodes.js';
import { actionExitCode, actionTargets, failedResults, runProgramAction } from './runProgramAction.js';
import { useHarness } from './test-support/harness.js';
import { programConfig, sleeper } from './test-support/programConfig.js';

describe('runProgramAction: the one action -> code/outcome rule of the CLI, usrsvcd and usrsvc-web', () => {
  const h = useHarness();

  it('answers an unknown program with 133 `undefined`, whatever the action', async () => {
    for (const action of ['start', 'stop', 'restart', 'status'] as const) {
      expect(await runProgramAction({ name: 'ghost', program: undefined }, action, h.ctx)).toEqual({
        name: 'ghost',
        action,
        code: ReturnCodes.PROGRAM_UNDEFINED,
        outcome: 'undefined',
        message: 'No such program: ghost',
      });
    }
  });

  it('reports a failed start as the start failure it is, and a busy lock as TRY_AGAIN', async () => {
    const broken = programConfig(h.home, { name: 'broken', command: h.home.path('bin', 'missing'), successSeconds: 0.2 });
    const failed = await runProgramAction({ name: 'broken', program: broken }, 'start', h.ctx);
    expect(failed).toMatchObject({ code: ReturnCodes.PROGRAM_FAILED_TO_LAUNCH, outcome: 'failed-to-launch' });

    const busy = programConfig(h.home, { name: 'busy', command: `${sleeper(h.home)} 4711` });
    const result = await withProgramLock(busy, h.ctx, () => runProgramAction({ name: 'busy', program: busy }, 'start', { ...h.ctx, lockTimeoutMs: 0 }));
    expect(result).toMatchObject({ code: ReturnCodes.TRY_AGAIN, outcome: 'lock-timeout' });
  });

  it('turns an unexpected error into 254 `error` and hands it to onError', async () => {
    const program = programConfig(h.home, { name: 'p', command: 'x' });
    const notAFolder = h.home.write('state-is-a-file', '');
    const errors: unknown[] = [];
    const result = await runProgramAction({ name: 'p', program }, 'stop', { ...h.ctx, stateDir: notAFolder }, (e) => errors.push(e));
    expect(result).toMatchObject({ code: ReturnCodes.UNKNOWN_FAILURE, outcome: 'error' });
    expect(result.message).toMatch(/^unexpected error: /);
    expect(errors).toHaveLength(1);
  });

  it('says when a program that is not running was stopped by the user', async () => {
    const program = programConfig(h.home, { name: 'marked', command: `${sleeper(h.home)} 4712` });
    expect((await runProgramAction({ name: 'marked', program }, 'stop', h.ctx)).outcome).toBe('not-running');
    expect(fs.existsSync(h.home.path('.local', 'state', 'usrsvc', 'stopped', 'marked'))).toBe(true);
    expect(await runProgramAction({ name: 'marked', program }, 'status', h.ctx)).toMatchObject({ code: 1, outcome: 'stopped-by-user' });
  });
});

describe('the rule for `all`', () => {
  const programs = new Map([
    ['a', { name: 'a', enabled: true }],
    ['b', { name: 'b', enabled: false }],
  ]);

  it('is every program in order, disabled ones included; a name is that program or none', () => {
    expect(actionTargets(programs, 'all').map((t) => t.name)).toEqual(['a', 'b']);
    expect(actionTargets(programs, 'b')).toEqual([{ name: 'b', program: programs.get('b') }]);
    expect(actionTargets(programs, 'zzz')).toEqual([{ name: 'zzz', program: undefined }]);
  });

  it('exits 1 when any program failed (disabled is no failure); one program exits with its own code', () => {
    const ok = { code: ReturnCodes.SUCCESS };
    const disabled = { code: ReturnCodes.PROGRAM_DISABLED };
    const crashed = { code: ReturnCodes.PROGRAM_EXITED_UNEXPECTEDLY };
    expect(actionExitCode('all', [ok, disabled])).toBe(ReturnCodes.SUCCESS);
    expect(actionExitCode('all', [ok, crashed, disabled])).toBe(ReturnCodes.GENERAL_FAILURE);
    expect(failedResults([ok, crashed, disabled])).toEqual([crashed]);
    expect(actionExitCode('b', [disabled])).toBe(ReturnCodes.PROGRAM_DISABLED);
    expect(actionExitCode('x', [crashed])).toBe(ReturnCodes.PROGRAM_EXITED_UNEXPECTEDLY);
  });
});

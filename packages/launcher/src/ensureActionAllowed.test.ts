import { describe, expect, it } from 'vitest';
import { ensureActionAllowed } from './ensureActionAllowed.js';
import { programStatus } from './programStatus.js';
import { restartProgram } from './restartProgram.js';
import { ReturnCodes, returnCodeName } from './returnCodes.js';
import { startProgram } from './startProgram.js';
import { stopProgram } from './stopProgram.js';
import { useHarness } from './test-support/harness.js';
import { programConfig, sleeper } from './test-support/programConfig.js';

describe('disabled programs', () => {
  const h = useHarness();

  it('allow only stop and status', async () => {
    const program = programConfig(h.home, { name: 'off', command: `${sleeper(h.home)} 360`, enabled: false });
    expect(await startProgram(program, h.ctx, h.track)).toMatchObject({ code: ReturnCodes.PROGRAM_DISABLED, outcome: 'disabled', action: 'start' });
    expect(await restartProgram(program, h.ctx, h.track)).toMatchObject({ code: 132, action: 'restart' });
    expect(await stopProgram(program, h.ctx)).toMatchObject({ code: 0, outcome: 'not-running' });
    expect(await programStatus(program, h.ctx)).toMatchObject({ code: 1, outcome: 'not-running' });
    expect(ensureActionAllowed(program, 'stop')).toBeUndefined();
    expect(ensureActionAllowed({ ...program, enabled: true }, 'start')).toBeUndefined();
  });
});

describe('ReturnCodes', () => {
  it('has the original values and names', () => {
    expect(ReturnCodes).toMatchObject({
      SUCCESS: 0, GENERAL_FAILURE: 1, TRY_AGAIN: 11, INVALID_CONFIG: 130, INVALID_ACTION: 131, PROGRAM_DISABLED: 132,
      PROGRAM_UNDEFINED: 133, PROGRAM_EXITED_UNEXPECTEDLY: 134, USRSVCD_ALREADY_RUNNING: 135, INSUFFICIENT_PERMISSIONS: 136,
      PROGRAM_FAILED_TO_LAUNCH: 137, HELP_MESSAGE: 138, UNKNOWN_FAILURE: 254,
    });
    expect(returnCodeName(137)).toBe('PROGRAM_FAILED_TO_LAUNCH');
    expect(returnCodeName(7)).toBe('UNKNOWN(7)');
  });
});

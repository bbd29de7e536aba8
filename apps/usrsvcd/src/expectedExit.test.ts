import { describe, expect, it } from 'vitest';
import { describeExpectedExit, isExpectedExit } from './restartPolicy.js';

const unexpected = { restartOnlyUnexpected: true, exitCodes: [0, 2] };

describe('isExpectedExit (autorestart = unexpected)', () => {
  it('takes a listed exit code, or a signal usrsvc sent, as expected', () => {
    expect(isExpectedExit(unexpected, { exitCode: 0, signal: null }, undefined)).toBe(true);
    expect(isExpectedExit(unexpected, { exitCode: 2, signal: null }, undefined)).toBe(true);
    expect(isExpectedExit(unexpected, { exitCode: null, signal: 'SIGTERM' }, 'SIGTERM')).toBe(true);
  });

  it('restarts on an unlisted code, a signal usrsvc did not send, or an exit it did not see', () => {
    expect(isExpectedExit(unexpected, { exitCode: 1, signal: null }, undefined)).toBe(false);
    expect(isExpectedExit(unexpected, { exitCode: null, signal: 'SIGKILL' }, undefined)).toBe(false);
    expect(isExpectedExit(unexpected, { exitCode: null, signal: 'SIGKILL' }, 'SIGHUP')).toBe(false);
    expect(isExpectedExit(unexpected, undefined, undefined)).toBe(false);
  });

  it('never applies with autorestart = True', () => {
    expect(isExpectedExit({ restartOnlyUnexpected: false, exitCodes: [0] }, { exitCode: 0, signal: null }, undefined)).toBe(false);
  });

  it('describes the exit as the status shows it', () => {
    expect(describeExpectedExit({ exitCode: 0, signal: null })).toBe('code 0');
    expect(describeExpectedExit({ exitCode: null, signal: 'SIGTERM' })).toBe('signal SIGTERM sent by usrsvc');
  });
});

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { processIdentity } from '@usrsvc/procscan';
import { isRunning, readPidfile, waitFor } from '@usrsvc/testkit';
import { describe, expect, it } from 'vitest';
import { writePidfile } from './pidfile.js';
import { ReturnCodes } from './returnCodes.js';
import { signalIfSame } from './signalProcess.js';
import { startProgram } from './startProgram.js';
import { stopProgram } from './stopProgram.js';
import { useHarness } from './test-support/harness.js';
import { programConfig, script, sleeper } from './test-support/programConfig.js';

describe('stopProgram', () => {
  const h = useHarness();

  /** A process started by the test itself, outside usrsvc. */
  const startOutside = (argv: string[]) => {
    const child = spawn(argv[0]!, argv.slice(1), { stdio: 'ignore', detached: true });
    child.unref();
    h.reaper.track(child.pid);
    return child.pid!;
  };

  it('kills a program that ignores SIGTERM after term_to_kill_seconds', async () => {
    const stubborn = script(h.home, 'stubborn.sh', `trap '' TERM\nexec ${sleeper(h.home)} 320`);
    const program = programConfig(h.home, { name: 'stubborn', command: `/bin/sh ${stubborn}`, proctitleRe: /svc 320$/, termToKillSeconds: 1 });
    const started = await startProgram(program, h.ctx, h.track);
    expect(started.code).toBe(0);
    const stopped = await stopProgram(program, h.ctx);
    expect(stopped).toMatchObject({ code: 0, outcome: 'killed' });
    expect(isRunning(started.process!.pid)).toBe(false);
    expect(fs.existsSync(program.pidfile)).toBe(false);
    expect(h.logger.lines.some((line) => line.includes('SIGKILL'))).toBe(true);
  });

  it('never signals an unrelated live process named by a stale pidfile', async () => {
    const unrelated = startOutside([sleeper(h.home, 'unrelated'), '321']);
    const program = programConfig(h.home, { name: 'stale', command: `${sleeper(h.home)} 321` });
    writePidfile(program.pidfile, unrelated);
    const stopped = await stopProgram(program, h.ctx);
    expect(stopped).toMatchObject({ code: 0, outcome: 'not-running' });
    expect(isRunning(unrelated)).toBe(true);
    expect(fs.existsSync(program.pidfile)).toBe(false);
    expect(h.logger.lines.some((line) => line.startsWith('warn: stale pidfile'))).toBe(true);
  });

  it('stops a program it adopted by scan (started outside usrsvc)', async () => {
    const program = programConfig(h.home, { name: 'adopted', command: `${sleeper(h.home)} 322` });
    const outside = startOutside([sleeper(h.home), '322']);
    await waitFor('the outside program to exec', () => fs.readFileSync(`/proc/${outside}/cmdline`, 'utf8').includes('322'));
    const stopped = await stopProgram(program, h.ctx);
    expect(stopped).toMatchObject({ code: 0, outcome: 'terminated', process: { pid: outside, foundBy: 'scan' } });
    await waitFor('the adopted program to be gone', () => !isRunning(outside));
  });

  it('signals nothing when the PID now belongs to another process (start time differs)', async () => {
    const program = programConfig(h.home, { name: 'reused', command: `${sleeper(h.home)} 323` });
    const victim = startOutside([sleeper(h.home), '323']);
    await waitFor('exec', () => fs.readFileSync(`/proc/${victim}/cmdline`, 'utf8').includes('323'));
    const identity = processIdentity(victim)!;
    // the identity recorded for an earlier process that had this PID
    const earlier = { pid: victim, startTicks: identity.startTicks - 1 };
    expect(signalIfSame(earlier, program.proctitleRe, process.getuid!(), 'SIGTERM')).toBe('gone');
    expect(signalIfSame(identity, /does-not-match/, process.getuid!(), 'SIGTERM')).toBe('gone');
    expect(isRunning(victim)).toBe(true);
    expect(signalIfSame(identity, program.proctitleRe, process.getuid!(), 'SIGTERM')).toBe('sent');
    await waitFor('the victim to be gone', () => !isRunning(victim));
  });

  it('removes a pidfile whose process is gone', async () => {
    const program = programConfig(h.home, { name: 'gone', command: `${sleeper(h.home)} 324` });
    writePidfile(program.pidfile, 2 ** 22 + 12345);
    expect(await stopProgram(program, h.ctx)).toMatchObject({ code: ReturnCodes.SUCCESS, outcome: 'not-running' });
    expect(readPidfile(program.pidfile)).toBeUndefined();
  });
});

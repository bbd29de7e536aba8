import fs from 'node:fs';
import { isRunning, waitFor } from '@usrsvc/testkit';
import { describe, expect, it } from 'vitest';
import { ReturnCodes } from './returnCodes.js';
import { sentSignalTo } from './sentSignals.js';
import { reloadProgram, signalProgram } from './signalProgram.js';
import { startProgram } from './startProgram.js';
import { useHarness } from './test-support/harness.js';
import { programConfig, script } from './test-support/programConfig.js';

describe('signalProgram and reloadProgram', () => {
  const h = useHarness();

  /** A program that writes each signal it gets to a file, and a child that does the same. */
  function recorder(name: string) {
    const log = h.home.path(`${name}.signals`);
    const body = [
      `trap 'echo HUP >> ${log}' HUP`,
      `trap 'echo USR1 >> ${log}' USR1`,
      `sh -c "trap 'echo child-USR1 >> ${log}' USR1; while :; do sleep 0.05; done" &`,
      'while :; do sleep 0.05; done',
    ].join('\n');
    return { log, program: programConfig(h.home, { name, command: script(h.home, name, body), reloadSignal: 'SIGHUP' }) };
  }
  const received = (log: string) => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n') : []);

  it('reload sends reload_signal to the main process; its PID does not change', async () => {
    const { log, program } = recorder('rel');
    const started = await startProgram(program, h.ctx, h.track);
    const pid = started.process!.pid;
    const reloaded = await reloadProgram(program, h.ctx);
    expect(reloaded).toMatchObject({ code: ReturnCodes.SUCCESS, outcome: 'reloaded', action: 'reload', process: { pid } });
    await waitFor('the program to record HUP', () => received(log).includes('HUP'));
    expect(isRunning(pid)).toBe(true);
    expect(sentSignalTo('rel', h.ctx, started.process!.identity)).toMatchObject({ signal: 'SIGHUP' });
  });

  it('reload fails with 1, saying which, without reload_signal or when not running', async () => {
    const { program } = recorder('nosig');
    const without = await reloadProgram({ ...program, reloadSignal: undefined }, h.ctx);
    expect(without).toMatchObject({ code: 1, outcome: 'no-reload-signal' });
    expect(without.message).toContain('no reload_signal');
    const stopped = await reloadProgram(program, h.ctx);
    expect(stopped).toMatchObject({ code: 1, outcome: 'not-running' });
    expect(stopped.message).toContain('not running');
  });

  it('signal reaches the main process only; with group, the whole tree', async () => {
    const { log, program } = recorder('sig');
    await startProgram(program, h.ctx, h.track);
    // The child's trap is set once it runs: wait for the tree.
    await waitFor('the child to run', () => fs.readdirSync('/proc').some((entry) => /^\d+$/.test(entry) && readCmdline(entry).includes('child-USR1')));
    expect(await signalProgram(program, 'SIGUSR1', h.ctx)).toMatchObject({ code: 0, outcome: 'signalled' });
    await waitFor('the main process to record USR1', () => received(log).includes('USR1'));
    expect(received(log)).not.toContain('child-USR1');
    const group = await signalProgram(program, 'SIGUSR1', h.ctx, { group: true });
    expect(group).toMatchObject({ code: 0, outcome: 'signalled' });
    await waitFor('the child to record USR1', () => received(log).includes('child-USR1'));
  });
});

function readCmdline(pid: string): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}

import { spawn } from 'node:child_process';
import { ProcessTable, readProcess, snapshotProcesses } from '@usrsvc/procscan';
import { isRunning, waitFor } from '@usrsvc/testkit';
import { beforeEach, describe, expect, it } from 'vitest';
import type { LauncherProgram } from './LauncherProgram.js';
import { ReturnCodes } from './returnCodes.js';
import { startProgram } from './startProgram.js';
import { stopProgram } from './stopProgram.js';
import { useHarness } from './test-support/harness.js';
import { groupOf, processesUnder, runningWith, sentinel, signalsReceived } from './test-support/processTree.js';
import { programConfig, script, sleeper } from './test-support/programConfig.js';

/**
 * Real process trees, stopped with stop_as_group. Every test also runs a sentinel (a process of
 * the same user, outside the program) and checks in /proc what remains and that the sentinel got
 * no signal at all.
 */
describe('stopProgram with stop_as_group', () => {
  const h = useHarness();
  let sentinelPid: number;

  /** Starts `argv` outside usrsvc, in a session of its own. */
  const startOutside = (argv: string[]) => {
    const child = spawn(argv[0]!, argv.slice(1), { stdio: 'ignore', detached: true });
    child.unref();
    h.reaper.track(child.pid);
    return child.pid!;
  };

  beforeEach(async () => {
    sentinelPid = startOutside(sentinel(h.home, 'outside'));
    await waitFor('the sentinel to run', () => runningWith(h.home, 'sentinel-outside').length === 1);
  });

  const untouched = () => {
    expect(isRunning(sentinelPid)).toBe(true);
    expect(signalsReceived(h.home, 'outside')).toEqual([]);
  };

  /** The program's shell script `name`.sh, run with /bin/sh; proctitle_re matches the script. */
  const shellProgram = (name: string, body: string, overrides: Partial<LauncherProgram> = {}) =>
    programConfig(h.home, { name, command: `/bin/sh ${script(h.home, `${name}.sh`, body)}`, stopAsGroup: true, ...overrides });

  const startTree = async (program: LauncherProgram, marker: string, count: number) => {
    const started = await startProgram(program, h.ctx, h.track);
    expect(started).toMatchObject({ code: ReturnCodes.SUCCESS, outcome: 'started' });
    await waitFor(`${count} processes with ${marker}`, () => runningWith(h.home, marker).length === count);
    return started.process!;
  };

  it('stops a shell wrapper and its child', async () => {
    const worker = sleeper(h.home, 'worker');
    const program = shellProgram('wrapper', `${worker} 500 &\nwait`);
    await startTree(program, 'worker 500', 1);
    const stopped = await stopProgram(program, h.ctx);
    expect(stopped).toMatchObject({ code: 0, outcome: 'terminated' });
    expect(stopped.leftovers).toBeUndefined();
    expect(stopped.message).toContain('with 1 other process of its tree');
    expect(runningWith(h.home, 'wrapper')).toEqual([]);
    expect(runningWith(h.home, 'worker')).toEqual([]);
    untouched();
  });

  it('stops a parent and its three workers', async () => {
    const worker = sleeper(h.home, 'worker');
    const program = shellProgram('pool', `for i in 1 2 3; do ${worker} 51$i & done\nwait`);
    await startTree(program, 'worker 51', 3);
    const stopped = await stopProgram(program, h.ctx);
    expect(stopped).toMatchObject({ code: 0, outcome: 'terminated' });
    expect(runningWith(h.home, 'worker')).toEqual([]);
    expect(runningWith(h.home, 'pool')).toEqual([]);
    untouched();
  });

  it('stops a worker that called setsid (another session and group)', async () => {
    const worker = sleeper(h.home, 'worker');
    const program = shellProgram('escaper', `setsid ${worker} 520 &\nwait`);
    const main = await startTree(program, 'worker 520', 1);
    const [escaped] = processesUnder(h.home).filter((p) => p.cmdline.includes('worker 520'));
    expect(groupOf(escaped!.pid)?.sid).not.toBe(groupOf(main.pid)?.sid);
    expect(groupOf(escaped!.pid)?.pgid).not.toBe(groupOf(main.pid)?.pgid);
    expect(await stopProgram(program, h.ctx)).toMatchObject({ code: 0, outcome: 'terminated' });
    expect(processesUnder(h.home).map((p) => p.pid)).toEqual([sentinelPid]);
    untouched();
  });

  it('stops a double-forked grandchild, reparented away but still in the group usrsvc created', async () => {
    const worker = sleeper(h.home, 'worker');
    const program = shellProgram('forker', `(${worker} 530 &)\n${worker} 531 &\nwait`);
    const main = await startTree(program, 'worker 53', 2);
    const grandchild = processesUnder(h.home).find((p) => p.cmdline.includes('worker 530'))!;
    expect(readProcess(grandchild.pid)?.ppid).not.toBe(main.pid);
    const stopped = await stopProgram(program, h.ctx);
    expect(stopped).toMatchObject({ code: 0, outcome: 'terminated' });
    expect(processesUnder(h.home).map((p) => p.pid)).toEqual([sentinelPid]);
    untouched();
  });

  it('stops a program that stops only on SIGINT with stop_signal = INT, without SIGKILL', async () => {
    const code = '$SIG{TERM} = "IGNORE"; $SIG{INT} = sub { exit 0 }; sleep 1 while 1';
    const program = programConfig(h.home, {
      name: 'intonly',
      command: 'perl -e CODE intonly-540',
      argv: ['perl', '-e', code, `${h.home.dir}/intonly-540`],
      proctitleRe: /intonly-540$/,
      stopSignal: 'SIGINT',
      stopAsGroup: true,
      termToKillSeconds: 60,
    });
    await startTree(program, 'intonly-540', 1);
    const stopped = await stopProgram(program, h.ctx);
    expect(stopped).toMatchObject({ code: 0, outcome: 'terminated' });
    expect(stopped.message).toContain('terminated by SIGINT');
    expect(h.logger.lines.some((line) => line.includes('SIGKILL'))).toBe(false);
    expect(runningWith(h.home, 'intonly')).toEqual([]);
    untouched();
  });

  it('kills a tree that ignores its stop_signal after term_to_kill_seconds', async () => {
    const worker = sleeper(h.home, 'worker');
    // The ignored disposition is inherited by both workers.
    const program = shellProgram('deaf', `trap '' TERM\n${worker} 550 &\n${worker} 551 &\nwait`, { termToKillSeconds: 1 });
    await startTree(program, 'worker 55', 2);
    const stopped = await stopProgram(program, h.ctx);
    expect(stopped).toMatchObject({ code: 0, outcome: 'killed' });
    expect(h.logger.lines.some((line) => line.includes('sending SIGKILL'))).toBe(true);
    expect(processesUnder(h.home).map((p) => p.pid)).toEqual([sentinelPid]);
    untouched();
  });

  it('stops only its own descendants when adopted from a group it shares with an unrelated process', async () => {
    const worker = sleeper(h.home, 'worker');
    const programScript = script(h.home, 'adoptee.sh', `${worker} 561 &\nwait`);
    const neighbourArgv = sentinel(h.home, 'neighbour').map((arg) => `'${arg}'`).join(' ');
    // A shell (like a user's) leads the group; the neighbour and the program are both members.
    const shell = startOutside(['/bin/sh', script(h.home, 'outer.sh', `${neighbourArgv} &\n/bin/sh ${programScript} &\nwait`)]);
    await waitFor('the neighbour and the program child', () => runningWith(h.home, 'sentinel-neighbour').length === 1 && runningWith(h.home, 'worker 561').length === 1);
    const neighbour = processesUnder(h.home).find((p) => p.cmdline.includes('sentinel-neighbour'))!;
    const program = programConfig(h.home, { name: 'adoptee', command: `/bin/sh ${programScript}`, stopAsGroup: true });
    const stopped = await stopProgram(program, h.ctx);
    expect(stopped).toMatchObject({ code: 0, outcome: 'terminated', process: { foundBy: 'scan' } });
    expect(groupOf(neighbour.pid)?.pgid).toBe(shell);
    expect(stopped.process!.pid).not.toBe(shell);
    expect(runningWith(h.home, 'worker')).toEqual([]);
    expect(runningWith(h.home, 'adoptee')).toEqual([]);
    expect(isRunning(shell)).toBe(true);
    expect(isRunning(neighbour.pid)).toBe(true);
    expect(signalsReceived(h.home, 'neighbour')).toEqual([]);
    untouched();
  });

  it('never signals a PID that a snapshot showed in the tree but that now belongs to another process', async () => {
    const worker = sleeper(h.home, 'worker');
    const program = shellProgram('reuse', `${worker} 570 &\nwait`);
    const main = await startTree(program, 'worker 570', 1);
    // The snapshot says the sentinel's PID was the main process's child, started one tick
    // earlier: what a table taken before the PID was reused would say.
    const stale = async () => {
      const table = await snapshotProcesses({ uid: process.getuid!() });
      const now = table.get(sentinelPid)!;
      const reused = { ...now, ppid: main.pid, pgid: groupOf(main.pid)!.pgid, startTicks: now.startTicks - 1 };
      return new ProcessTable([...table.processes.filter((p) => p.pid !== sentinelPid), reused]);
    };
    const stopped = await stopProgram(program, { ...h.ctx, snapshot: stale });
    expect(stopped).toMatchObject({ code: 0, outcome: 'terminated' });
    expect(processesUnder(h.home).map((p) => p.pid)).toEqual([sentinelPid]);
    untouched();
  });
});

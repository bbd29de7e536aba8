import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { closedPort, isRunning, waitFor } from '@usrsvc/testkit';
import { beforeEach, describe, expect, it } from 'vitest';
import type { LauncherProgram } from './LauncherProgram.js';
import { programLeftovers } from './leftovers.js';
import { programStatus } from './programStatus.js';
import { rememberProgramTree } from './rememberProgramTree.js';
import { ReturnCodes } from './returnCodes.js';
import { startProgram } from './startProgram.js';
import { defaultStateDir } from './stateDir.js';
import { stopProgram } from './stopProgram.js';
import { useHarness } from './test-support/harness.js';
import { processesUnder, runningWith, sentinel, signalsReceived } from './test-support/processTree.js';
import { programConfig, script, sleeper } from './test-support/programConfig.js';


describe('leftovers: what of a program outlives its main process', () => {
  const h = useHarness();
  let sentinelPid: number;

  beforeEach(async () => {
    const argv = sentinel(h.home, 'outside');
    const child = spawn(argv[0]!, argv.slice(1), { stdio: 'ignore', detached: true });
    child.unref();
    sentinelPid = child.pid!;
    h.reaper.track(sentinelPid);
    await waitFor('the sentinel to run', () => runningWith(h.home, 'sentinel-outside').length === 1);
  });

  const untouched = () => {
    expect(isRunning(sentinelPid)).toBe(true);
    expect(signalsReceived(h.home, 'outside')).toEqual([]);
  };

  /**
   * A shell wrapper (the main process) whose child listens on `port`, as a worker of a real
   * service would; a second copy cannot bind while the first child lives. When its child fails,
   * the wrapper exits only once the test writes `release`: so the launcher has seen it run, and a
   * failing start is "exited unexpectedly" however slowly the machine schedules the launcher.
   */
  const release = () => h.home.path('release');
  const server = (port: number, overrides: Partial<LauncherProgram> = {}) => {
    const listen = `my $s = IO::Socket::INET->new(LocalAddr => "127.0.0.1", LocalPort => ${port}, Listen => 5, ReuseAddr => 1) or die "bind() to 127.0.0.1:${port} failed ($!)\\n"; sleep 1 while 1`;
    const body = `perl -MIO::Socket::INET -e '${listen}' ${h.home.dir}/listener &\nwait\nwhile [ ! -e ${release()} ]; do sleep 0.05; done`;
    return programConfig(h.home, { name: 'server', command: `/bin/sh ${script(h.home, 'server.sh', body)}`, ...overrides });
  };

  /** A start whose listener cannot bind: its wrapper is let go once the bind has failed. */
  const failingStart = async (program: LauncherProgram) => {
    const result = startProgram({ ...program, successSeconds: 120 }, h.ctx, h.track);
    await waitFor('the bind to fail', () => fs.readFileSync(program.stderr, 'utf8').includes('Address already in use'));
    fs.writeFileSync(release(), '');
    return result;
  };

  const listenerPid = () => processesUnder(h.home).find((p) => p.cmdline.endsWith('/listener'))?.pid;

  const startServer = async (program: LauncherProgram) => {
    const started = await startProgram(program, h.ctx, h.track);
    expect(started).toMatchObject({ code: ReturnCodes.SUCCESS, outcome: 'started' });
    return { main: started.process!.pid, listener: await waitFor('the listener', listenerPid) };
  };

  const killMain = async (pid: number) => {
    process.kill(pid, 'SIGKILL');
    await waitFor('the main process to be gone', () => !isRunning(pid));
  };

  it('without stop_as_group: stop, status and a failing start all name the child that holds the port', async () => {
    const program = server(await closedPort());
    const { main, listener } = await startServer(program);

    const stopped = await stopProgram(program, h.ctx);
    expect(stopped).toMatchObject({ code: 0, outcome: 'terminated', leftovers: [{ pid: listener, cmdline: expect.stringContaining('/listener') }] });
    expect(stopped.message).toContain(`1 process of its tree still runs: [${listener}]`);
    expect(isRunning(main)).toBe(false);
    expect(isRunning(listener)).toBe(true);

    const status = await programStatus(program, h.ctx);
    expect(status).toMatchObject({ code: 1, outcome: 'not-running', leftovers: [{ pid: listener }] });
    expect(status.message).toContain(`[${listener}]`);

    const stateDir = defaultStateDir(h.home.env());
    expect(fs.statSync(stateDir).mode & 0o777).toBe(0o700);
    expect(fs.existsSync(`${stateDir}/trees/server.json`)).toBe(true);

    const failed = await failingStart(program);
    expect(failed).toMatchObject({ code: ReturnCodes.PROGRAM_EXITED_UNEXPECTEDLY, leftovers: [{ pid: listener }] });
    expect(failed.message).toContain(`still run and may hold its port: [${listener}]`);
    expect(failed.stderrTail?.join('\n')).toContain('Address already in use');
    expect(isRunning(listener)).toBe(true);
    untouched();
  });

  it('without stop_as_group: after the main process is killed, its child is known from the start and named', async () => {
    const program = server(await closedPort());
    const { main, listener } = await startServer(program);
    await killMain(main);
    expect(programLeftovers('server', h.ctx)).toEqual([{ pid: listener, cmdline: expect.stringContaining('/listener') }]);
    const stopped = await stopProgram(program, h.ctx);
    expect(stopped).toMatchObject({ code: 0, outcome: 'not-running', leftovers: [{ pid: listener }] });
    expect(isRunning(listener)).toBe(true);
    const failed = await failingStart(program);
    expect(failed.code).toBe(ReturnCodes.PROGRAM_EXITED_UNEXPECTEDLY);
    expect(failed.message).toContain(`[${listener}]`);
    untouched();
  });

  it('with stop_as_group: a start after the main process was killed stops what is left of its tree first', async () => {
    const program = server(await closedPort(), { stopAsGroup: true });
    const { main, listener } = await startServer(program);
    await killMain(main);
    expect(isRunning(listener)).toBe(true);
    expect(await programStatus(program, h.ctx)).toMatchObject({ outcome: 'not-running', leftovers: [{ pid: listener }] });

    const restarted = await startProgram(program, h.ctx, h.track);
    expect(restarted).toMatchObject({ code: 0, outcome: 'started' });
    expect(restarted.leftovers).toBeUndefined();
    expect(isRunning(listener)).toBe(false);
    expect(h.logger.lines.some((line) => line.includes('stopping 1 leftover process(es)'))).toBe(true);
    const fresh = await waitFor('the new listener', listenerPid);
    expect(fresh).not.toBe(listener);
    expect(await programStatus(program, h.ctx)).not.toHaveProperty('leftovers');
    untouched();
  });

  it('with stop_as_group: "stop" of a program whose main process died stops its leftovers', async () => {
    const program = server(await closedPort(), { stopAsGroup: true });
    const { main, listener } = await startServer(program);
    await killMain(main);
    const stopped = await stopProgram(program, h.ctx);
    expect(stopped).toMatchObject({ code: 0, outcome: 'not-running' });
    expect(stopped.message).toContain('stopped 1 leftover process of its earlier run');
    expect(stopped.leftovers).toBeUndefined();
    expect(isRunning(listener)).toBe(false);
    expect(processesUnder(h.home).map((p) => p.pid)).toEqual([sentinelPid]);
    untouched();
  });

  it('remembers a child forked after the start (rememberProgramTree) and stops it after a crash although it called setsid', async () => {
    const worker = sleeper(h.home, 'worker');
    const go = h.home.path('go');
    const body = `while [ ! -e ${go} ]; do sleep 0.05; done\nsetsid ${worker} 590 &\nwait`;
    const program = programConfig(h.home, { name: 'late', command: `/bin/sh ${script(h.home, 'late.sh', body)}`, stopAsGroup: true });
    const started = await startProgram(program, h.ctx, h.track);
    expect(started.outcome).toBe('started');
    fs.writeFileSync(go, '');
    const late = await waitFor('the late worker', () => processesUnder(h.home).find((p) => p.cmdline.includes('worker 590'))?.pid);
    const view = await rememberProgramTree(program, h.ctx);
    expect(view.current.map((p) => p.pid)).toContain(late);

    await killMain(started.process!.pid);
    expect(programLeftovers('late', h.ctx).map((l) => l.pid)).toEqual([late]);
    const restarted = await startProgram(program, h.ctx, h.track);
    expect(restarted.outcome).toBe('started');
    expect(isRunning(late)).toBe(false);
    untouched();
  });
});

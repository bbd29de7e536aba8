import fs from 'node:fs';
import { defaultProctitleRe, translatePythonRegex } from '@usrsvc/config';
import { readProcess } from '@usrsvc/procscan';
import { isRunning, waitFor } from '@usrsvc/testkit';
import { describe, expect, it } from 'vitest';
import { readLaunchCookie } from './launchCookie.js';
import { readPidfile } from './pidfile.js';
import { programStatus } from './programStatus.js';
import { ReturnCodes } from './returnCodes.js';
import { startProgram } from './startProgram.js';
import { stopProgram } from './stopProgram.js';
import { useHarness } from './test-support/harness.js';
import { runningWith } from './test-support/processTree.js';
import { programConfig, script, sleeper } from './test-support/programConfig.js';

const warnings = (lines: readonly string[]) => lines.filter((l) => l.startsWith('warn: '));

/** The program's identity comes from its launch; its leftovers carry the launch cookie. */
describe('identity from the launch', () => {
  const h = useHarness();

  it('keeps a launched program whose title changes (redis-server *:6391) as the program: status, stop, a warning once', async () => {
    const trigger = h.home.path('rename-now');
    // Renames itself, as redis does, once the test says so: the start saw its launch title.
    const code = 'until (-e $ARGV[0]) { select(undef, undef, undef, 0.02) } $0 = "renamed-server *:6391"; sleep 600';
    const program = programConfig(h.home, { name: 'renamer', command: 'perl -e ...', argv: ['perl', '-e', code, trigger], proctitleRe: new RegExp(`${trigger}$`) });
    const started = await startProgram(program, h.ctx, h.track);
    expect(started.code).toBe(ReturnCodes.SUCCESS);
    const pid = started.process!.pid;
    fs.writeFileSync(trigger, '');
    await waitFor('the title to change', () => readProcess(pid)?.cmdline === 'renamed-server *:6391');

    const status = await programStatus(program, h.ctx);
    expect(status).toMatchObject({ code: 0, outcome: 'running', process: { pid, foundBy: 'launch' } });
    expect(readPidfile(program.pidfile)).toBe(pid);
    expect(warnings(h.logger.lines).filter((w) => w.includes('does not match proctitle_re'))).toHaveLength(1);
    expect(await programStatus(program, h.ctx)).toMatchObject({ code: 0, process: { pid } });
    expect(warnings(h.logger.lines).filter((w) => w.includes('does not match proctitle_re'))).toHaveLength(1);
    expect(warnings(h.logger.lines).some((w) => w.includes('stale pidfile'))).toBe(false);

    const stopped = await stopProgram(program, h.ctx);
    expect(stopped).toMatchObject({ code: 0, outcome: 'terminated' });
    expect(isRunning(pid)).toBe(false);
  });

  it('puts USRSVC_PROGRAM and USRSVC_LAUNCH in the environment, one launch id per launch', async () => {
    const program = programConfig(h.home, { name: 'cookie', command: `${sleeper(h.home)} 320` });
    const first = await startProgram(program, h.ctx, h.track);
    const one = readLaunchCookie(first.process!.pid);
    expect(one?.program).toBe('cookie');
    await stopProgram(program, h.ctx);
    const second = await startProgram(program, h.ctx, h.track);
    const two = readLaunchCookie(second.process!.pid);
    expect(two?.program).toBe('cookie');
    expect(two?.launch).not.toBe(one?.launch);
  });

  it("never adopts an orphaned worker with its master's title: it is a leftover (gunicorn after kill -9 of its master)", async () => {
    const code = 'my $w = fork(); if ($w == 0) { sleep 600; exit 0 } sleep 600';
    const marker = h.home.path('master-worker');
    const program = programConfig(h.home, { name: 'gunicornish', command: 'perl -e ...', argv: ['perl', '-e', code, marker], proctitleRe: new RegExp(`${marker}$`) });
    const started = await startProgram(program, h.ctx, h.track);
    expect(started.code).toBe(0);
    const master = started.process!.pid;
    await waitFor('the worker to run', () => runningWith(h.home, 'master-worker').length === 2);
    process.kill(master, 'SIGKILL');
    await waitFor('the master to be gone', () => !isRunning(master));
    const worker = (await import('@usrsvc/procscan')).snapshotProcessesSync().processes.find((p) => p.cmdline.endsWith(marker) && p.pid !== master)!;

    const status = await programStatus(program, h.ctx);
    expect(status).toMatchObject({ code: ReturnCodes.GENERAL_FAILURE, outcome: 'not-running' });
    expect(status.leftovers?.map((l) => l.pid)).toEqual([worker.pid]);
    expect(readPidfile(program.pidfile)).not.toBe(worker.pid);

    // With stop_as_group the start stops the leftover first, then launches a new master.
    const restarted = await startProgram({ ...program, stopAsGroup: true }, h.ctx, h.track);
    expect(restarted).toMatchObject({ code: 0, outcome: 'started' });
    expect(restarted.process!.pid).not.toBe(worker.pid);
    await waitFor('the old worker to be gone', () => !isRunning(worker.pid));
  });

  it('finds by its cookie a process that forked after the start and called setsid (a postgres backend), after kill -9 of the main process', async () => {
    const trigger = h.home.path('escape-now');
    const svc = sleeper(h.home);
    const body = `(until [ -e ${trigger} ]; do sleep 0.05; done; exec setsid -f ${svc} 311) &\nexec ${svc} 312`;
    const program = programConfig(h.home, { name: 'escaper', command: `/bin/sh ${script(h.home, 'escaper.sh', body)}`, proctitleRe: /svc 312$/ });
    const started = await startProgram(program, h.ctx, h.track);
    expect(started.code).toBe(0);
    fs.writeFileSync(trigger, '');
    await waitFor('the escaped process to run', () => runningWith(h.home, 'svc 311').length === 1);
    process.kill(started.process!.pid, 'SIGKILL');
    await waitFor('the main process to be gone', () => !isRunning(started.process!.pid));

    const status = await programStatus(program, h.ctx);
    expect(status.leftovers?.map((l) => l.cmdline)).toEqual([`${svc} 311`]);
    const stopped = await stopProgram({ ...program, stopAsGroup: true }, h.ctx);
    expect(stopped.message).toContain('stopped 1 leftover process');
    await waitFor('the escaped process to be gone', () => runningWith(h.home, 'svc 311').length === 0);
  });

  it('with autopid=False never deletes or rewrites the pidfile: stale only means not running', async () => {
    const pidfile = h.home.path('run', 'own.pid');
    fs.mkdirSync(h.home.path('run'), { recursive: true });
    const own = script(h.home, 'own.sh', `echo $$ > ${pidfile}\nexec ${sleeper(h.home)} 313`);
    const program = programConfig(h.home, { name: 'own', command: `/bin/sh ${own}`, autoPid: false, pidfile, proctitleRe: /svc 313$/ });
    const started = await startProgram(program, h.ctx, h.track);
    expect(started.code).toBe(0);
    process.kill(started.process!.pid, 'SIGKILL');
    await waitFor('the program to be gone', () => !isRunning(started.process!.pid));
    const written = fs.readFileSync(pidfile, 'utf8');

    expect(await programStatus(program, h.ctx)).toMatchObject({ code: ReturnCodes.GENERAL_FAILURE, outcome: 'not-running' });
    expect(fs.readFileSync(pidfile, 'utf8')).toBe(written);
    expect(await stopProgram(program, h.ctx)).toMatchObject({ code: 0, outcome: 'not-running' });
    expect(fs.readFileSync(pidfile, 'utf8')).toBe(written);
    // And the pidfile of a running program survives its stop too.
    const again = await startProgram(program, h.ctx, h.track);
    expect(again.code).toBe(0);
    expect(await stopProgram(program, h.ctx)).toMatchObject({ code: 0, outcome: 'terminated' });
    expect(fs.existsSync(pidfile)).toBe(true);
  });

  it('starts `cd DIR && exec PROG ARGS` with useshell and the default proctitle_re', async () => {
    const command = `cd ${h.home.dir} && exec ${sleeper(h.home)} 314`;
    const program = programConfig(h.home, { name: 'cdexec', command, useShell: true, proctitleRe: translatePythonRegex(defaultProctitleRe(command, true)) });
    const started = await startProgram(program, h.ctx, h.track);
    expect(started).toMatchObject({ code: 0, outcome: 'started' });
    expect(fs.readlinkSync(`/proc/${started.process!.pid}/cwd`)).toBe(h.home.dir);
  });

  it('gives 134 (launched, then died), not 137, for a program that provably ran and exited before the first look', async () => {
    const program = programConfig(h.home, { name: 'quick', command: '/bin/true' });
    const result = await startProgram(program, h.ctx, h.track);
    expect(result).toMatchObject({ code: ReturnCodes.PROGRAM_EXITED_UNEXPECTEDLY, outcome: 'exited-unexpectedly' });
  });
});

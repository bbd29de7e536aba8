import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { nativeOrphanSpawn } from '@usrsvc/exitwatch';
import { isSameProcess, readProcess } from '@usrsvc/procscan';
import { ancestorsOf, isInitOrSubreaper, isRunning, procStat, readPidfile, sleep, waitFor } from '@usrsvc/testkit';
import { describe, expect, it } from 'vitest';
import { programStatus } from './programStatus.js';
import { restartProgram } from './restartProgram.js';
import { ReturnCodes } from './returnCodes.js';
import { startProgram } from './startProgram.js';
import { stopProgram } from './stopProgram.js';
import { useHarness } from './test-support/harness.js';
import { ignoredSignals, INT_AND_QUIT, programConfig, script, sleeper } from './test-support/programConfig.js';

// Every behaviour holds both ways a program is launched: through /bin/sh, and through the native
// double fork of @usrsvc/exitwatch (which must be built here: no silent skip).
const nativeSpawn = nativeOrphanSpawn();
const launchModes = [
  ['through /bin/sh', {}],
  ['through the native double fork', { orphanSpawn: nativeSpawn }],
] as const;

it('has the native double fork available to test', () => {
  expect(nativeSpawn).toBeTypeOf('function');
});

describe.each(launchModes)('startProgram %s', (_mode, launchCtx) => {
  const h = useHarness(launchCtx);

  it('starts, reports status, stops and restarts a program', async () => {
    const program = programConfig(h.home, { name: 'sleeper', command: `${sleeper(h.home)} 300` });
    const started = await startProgram(program, h.ctx, h.track);
    expect(started).toMatchObject({ code: ReturnCodes.SUCCESS, outcome: 'started', action: 'start' });
    const pid = started.process!.pid;
    h.reaper.track(pid);
    expect(readPidfile(program.pidfile)).toBe(pid);
    expect(started.process).toMatchObject({ foundBy: 'launch', cmdline: program.command, executable: fs.realpathSync('/bin/sleep') });

    const again = await startProgram(program, h.ctx);
    expect(again).toMatchObject({ code: 0, outcome: 'already-running', process: { pid, foundBy: 'pidfile' } });
    expect(await programStatus(program, h.ctx)).toMatchObject({ code: 0, outcome: 'running', process: { pid } });

    const restarted = await restartProgram(program, h.ctx, h.track);
    expect(restarted).toMatchObject({ code: 0, outcome: 'started', action: 'restart' });
    const newPid = restarted.process!.pid;
    h.reaper.track(newPid);
    expect(newPid).not.toBe(pid);
    expect(isRunning(pid)).toBe(false);

    const stopped = await stopProgram(program, h.ctx);
    expect(stopped).toMatchObject({ code: 0, outcome: 'terminated', process: { pid: newPid } });
    expect(isRunning(newPid)).toBe(false);
    expect(fs.existsSync(program.pidfile)).toBe(false);
    expect(await programStatus(program, h.ctx)).toMatchObject({ code: ReturnCodes.GENERAL_FAILURE, outcome: 'not-running' });
    expect(await stopProgram(program, h.ctx)).toMatchObject({ code: 0, outcome: 'not-running' });
  });

  it('leaves the program with init or a subreaper as its parent, in a session of its own', async () => {
    const program = programConfig(h.home, { name: 'orphan', command: `${sleeper(h.home)} 301` });
    const { process: running } = await startProgram(program, h.ctx, h.track);
    h.reaper.track(running?.pid);
    const stat = procStat(running!.pid)!;
    expect(stat.ppid).not.toBe(process.pid);
    expect(isInitOrSubreaper(stat.ppid)).toBe(true);
    const fields = fs.readFileSync(`/proc/${running!.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    const session = Number(fields[3]);
    expect(session).not.toBe(Number(fs.readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ')[3]));
  });

  it('does not leave SIGINT or SIGQUIT ignored in the started program (argv and shell)', async () => {
    const direct = programConfig(h.home, { name: 'direct', command: `${sleeper(h.home)} 302` });
    const shell = programConfig(h.home, { name: 'shell', useShell: true, command: `cd / && ${sleeper(h.home)} 303` });
    for (const program of [direct, shell]) {
      const { process: running, code } = await startProgram(program, h.ctx, h.track);
      expect(code).toBe(0);
      h.reaper.track(running?.pid);
      expect(ignoredSignals(running!.pid) & INT_AND_QUIT).toBe(0n);
      process.kill(running!.pid, 'SIGINT');
      await waitFor('the program to die of SIGINT', () => !isRunning(running!.pid));
    }
  });

  it('runs a shell command with && and matches the program, not the sh -c wrapper', async () => {
    const program = programConfig(h.home, {
      name: 'andand',
      useShell: true,
      command: `echo first >> ${h.home.path('first.txt')} && ${sleeper(h.home)} 304`,
    });
    const started = await startProgram(program, h.ctx, h.track);
    expect(started.code).toBe(0);
    h.reaper.track(started.process?.pid);
    expect(started.process!.argv).toEqual([sleeper(h.home), '304']);
    expect(ancestorsOf(started.process!.pid)).not.toContain(process.pid);
    expect(fs.readFileSync(h.home.path('first.txt'), 'utf8')).toBe('first\n');
  });

  it('passes argv without shell interpretation when useshell is off', async () => {
    const record = h.home.path('argv.txt');
    const code = `open F, ">", shift; print F join("|", @ARGV); close F; sleep 300`;
    const program = programConfig(h.home, {
      name: 'literal',
      command: 'perl -e ...',
      argv: ['perl', '-e', code, record, '$HOME;x', 'a  b', '*'],
      proctitleRe: /\$HOME;x a {2}b \*$/,
    });
    const started = await startProgram(program, h.ctx, h.track);
    h.reaper.track(started.process?.pid);
    expect(started.code).toBe(0);
    expect(fs.readFileSync(record, 'utf8')).toBe('$HOME;x|a  b|*');
  });

  it('gives 137 with the stderr tail when the command exits at once with nothing matching proctitle_re', async () => {
    // No process of this command ever matches proctitle_re (only `sh -c` runs, and wrappers never
    // match), so the outcome does not depend on scheduling. A program whose own process matches
    // and exits within milliseconds gives 134 when a look saw it alive, 137 when none did.
    const program = programConfig(h.home, {
      name: 'fails',
      command: 'echo "config not found" >&2; exit 3',
      useShell: true,
      successSeconds: 2,
    });
    const result = await startProgram(program, h.ctx, h.track);
    expect(result).toMatchObject({ code: ReturnCodes.PROGRAM_FAILED_TO_LAUNCH, outcome: 'failed-to-launch' });
    expect(result.message).toContain('success_seconds');
    expect(result.stderrTail).toEqual(['config not found']);
    expect(fs.existsSync(program.pidfile)).toBe(false);
  });

  it("quotes only this attempt's stderr, not what earlier attempts wrote to the same file", async () => {
    const counter = h.home.path('attempts');
    const failing = script(h.home, 'fails-again.sh', `n=$(cat ${counter} 2>/dev/null || echo 0); n=$((n+1)); echo $n > ${counter}\necho "attempt $n failed" >&2\nexit 3`);
    const program = programConfig(h.home, { name: 'again', command: `/bin/sh ${failing}`, successSeconds: 2 });
    expect((await startProgram(program, h.ctx, h.track)).stderrTail).toEqual(['attempt 1 failed']);
    const second = await startProgram(program, h.ctx, h.track);
    expect(second.stderrTail).toEqual(['attempt 2 failed']);
    expect(second.stderrOffset).toBe('attempt 1 failed\n'.length);
  });

  it('opens stdout and stderr for the program with O_APPEND, so usrsvcd may rotate them by copy-truncate', async () => {
    const program = programConfig(h.home, { name: 'appender', command: `${sleeper(h.home)} 307`, stderr: h.home.path('appender.err') });
    const started = await startProgram(program, h.ctx, h.track);
    const pid = started.process!.pid;
    for (const fd of [1, 2]) {
      const flags = Number.parseInt(/^flags:\s*([0-7]+)/m.exec(fs.readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8'))![1]!, 8);
      expect(flags & 0o2000).toBe(0o2000);
    }
    expect(fs.readlinkSync(`/proc/${pid}/fd/2`)).toBe(h.home.path('appender.err'));
  });

  it('gives 137 when the command does not exist', async () => {
    const program = programConfig(h.home, { name: 'missing', command: h.home.path('bin', 'no-such-program') });
    const result = await startProgram(program, h.ctx, h.track);
    expect(result.code).toBe(ReturnCodes.PROGRAM_FAILED_TO_LAUNCH);
    expect(result.stderrTail?.join('\n')).toMatch(/No such file|not found/);
  });

  it('gives 137 when nothing matches proctitle_re in time, and stops what it launched', async () => {
    const program = programConfig(h.home, { name: 'nomatch', command: `${sleeper(h.home)} 306`, proctitleRe: /never-matches/ });
    let launched = 0;
    const result = await startProgram(program, h.ctx, { onLaunched: (pid) => { launched = pid; h.reaper.track(pid); } });
    expect(result.code).toBe(ReturnCodes.PROGRAM_FAILED_TO_LAUNCH);
    expect(result.message).toContain('success_seconds (1 s)');
    await waitFor('the stray launch to be stopped', () => !isRunning(launched));
  });

  it('gives 134 when the matched program dies before success_seconds end', async () => {
    const dying = script(h.home, 'dies.sh', 'sleep 1.5\necho "dying" >&2\nexit 1');
    const program = programConfig(h.home, { name: 'dies', command: `/bin/sh ${dying}`, successSeconds: 2 });
    const result = await startProgram(program, h.ctx, h.track);
    expect(result).toMatchObject({ code: ReturnCodes.PROGRAM_EXITED_UNEXPECTEDLY, outcome: 'exited-unexpectedly' });
    expect(result.stderrTail).toEqual(['dying']);
  });

  it('finds a program that forks and exits its launcher, by proctitle_re', async () => {
    const title = `daemonized-${h.home.dir}`;
    const program = programConfig(h.home, {
      name: 'daemon',
      command: `perl -e 'exit 0 if fork; setpgrp; $0 = "${title}"; sleep 300'`,
      argv: ['perl', '-e', `exit 0 if fork; setpgrp; $0 = "${title}"; sleep 300`],
      proctitleRe: new RegExp(`^daemonized-${h.home.dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`),
    });
    const result = await startProgram(program, h.ctx, h.track);
    h.reaper.track(result.process?.pid);
    expect(result).toMatchObject({ code: 0, outcome: 'started' });
    expect(result.process!.cmdline).toBe(title);
    expect(readPidfile(program.pidfile)).toBe(result.process!.pid);
    expect(isInitOrSubreaper(procStat(result.process!.pid)!.ppid)).toBe(true);
  });

  it('follows a matching launcher that forks a same-titled child and exits', async () => {
    const code = `exit 0 if fork; sleep 300; # ${h.home.dir}`;
    const program = programConfig(h.home, { name: 'forker', command: 'perl -e ...', argv: ['perl', '-e', code] });
    program.proctitleRe = new RegExp(`${h.home.dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
    let launched = 0;
    const result = await startProgram(program, h.ctx, { onLaunched: (pid) => { launched = pid; h.reaper.track(pid); } });
    h.reaper.track(result.process?.pid);
    expect(result).toMatchObject({ code: 0, outcome: 'started' });
    expect(result.process!.pid).not.toBe(launched);
    expect(readPidfile(program.pidfile)).toBe(result.process!.pid);
  });

  it('reads the program\'s own pidfile with autopid off', async () => {
    const pidfile = h.home.path('run', 'own.pid');
    fs.mkdirSync(h.home.path('run'));
    const own = script(h.home, 'own.sh', `echo $$ > ${pidfile}\nexec ${sleeper(h.home)} 307`);
    const program = programConfig(h.home, { name: 'own', command: `/bin/sh ${own}`, autoPid: false, pidfile, proctitleRe: /svc 307$/ });
    const result = await startProgram(program, h.ctx, h.track);
    h.reaper.track(result.process?.pid);
    expect(result).toMatchObject({ code: 0, process: { foundBy: 'launch' } });
    expect(readPidfile(pidfile)).toBe(result.process!.pid);
    expect(await programStatus(program, h.ctx)).toMatchObject({ code: 0, process: { pid: result.process!.pid, foundBy: 'pidfile' } });

    fs.unlinkSync(pidfile);
    const found = await programStatus(program, h.ctx);
    // The process usrsvc launched is the program while it lives, pidfile or not.
    expect(found).toMatchObject({ code: 0, process: { pid: result.process!.pid, foundBy: 'launch' } });
    expect(fs.existsSync(pidfile)).toBe(false); // autopid off: usrsvc never writes it
  });

  it('gives the program [[Env]] over our environment, or [[Env]] alone without inherit_env', async () => {
    const ctx = { ...h.ctx, env: h.home.env({ FROM_USRSVC: 'yes' }) };
    const environ = (pid: number) =>
      Object.fromEntries(fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));

    const inherit = programConfig(h.home, { name: 'inherit', command: `${sleeper(h.home)} 308`, env: { EXTRA: 'a b', FROM_USRSVC: 'overridden' } });
    const a = await startProgram(inherit, ctx, h.track);
    h.reaper.track(a.process?.pid);
    expect(environ(a.process!.pid)).toMatchObject({ HOME: h.home.dir, EXTRA: 'a b', FROM_USRSVC: 'overridden' });

    const alone = programConfig(h.home, { name: 'alone', command: `${sleeper(h.home)} 309`, inheritEnv: false, env: { ONLY: '1' } });
    const b = await startProgram(alone, ctx, h.track);
    h.reaper.track(b.process?.pid);
    expect(environ(b.process!.pid)).toEqual({ ONLY: '1', USRSVC_PROGRAM: 'alone', USRSVC_LAUNCH: expect.stringMatching(/^[0-9a-z]+-[0-9a-f]{12}$/) });
  });

  it('appends stdout and stderr to their files across starts', async () => {
    const talker = script(h.home, 'talk.sh', `echo out-line\necho err-line >&2\nexec ${sleeper(h.home)} 310`);
    const stdout = h.home.write('logs/talk.out', 'existing\n');
    const stderr = h.home.path('logs', 'talk.err');
    const program = programConfig(h.home, { name: 'talk', command: `/bin/sh ${talker}`, stdout, stderr, proctitleRe: /svc 310$/ });
    for (let i = 0; i < 2; i += 1) {
      const started = await startProgram(program, h.ctx, h.track);
      expect(started.code).toBe(0);
      expect((await stopProgram(program, h.ctx)).outcome).toBe('terminated');
    }
    expect(fs.readFileSync(stdout, 'utf8')).toBe('existing\nout-line\nout-line\n');
    expect(fs.readFileSync(stderr, 'utf8')).toBe('err-line\nerr-line\n');
  });

  it('reports failure to open the log file as 137', async () => {
    const program = programConfig(h.home, { name: 'nolog', command: `${sleeper(h.home)} 311`, stdout: h.home.path('missing-dir', 'x.log') });
    const result = await startProgram(program, h.ctx, h.track);
    expect(result.code).toBe(ReturnCodes.PROGRAM_FAILED_TO_LAUNCH);
    expect(result.message).toMatch(/missing-dir/);
  });

  it('calls onLaunched with the launched PID', async () => {
    const program = programConfig(h.home, { name: 'cb', command: `${sleeper(h.home)} 312` });
    const seen: number[] = [];
    const result = await startProgram(program, h.ctx, { onLaunched: (pid) => { seen.push(pid); h.reaper.track(pid); } });
    expect(seen).toEqual([result.process!.pid]);
    expect(isSameProcess(result.process!.identity)).toBe(true);
  });

  it('starts programs that do not need the test to exist: the launched program outlives its launcher', async () => {
    const program = programConfig(h.home, { name: 'outlive', command: `${sleeper(h.home)} 313` });
    // a separate node process starts it and exits; the program must keep running
    const child = spawn(process.execPath, [
      '--input-type=module',
      '-e',
      `import { startProgram } from ${JSON.stringify(new URL('../dist/index.js', import.meta.url).href)};
       const p = JSON.parse(process.argv[1]); p.proctitleRe = new RegExp(p.proctitleRe);
       const r = await startProgram(p, { env: process.env });
       console.log(r.process?.pid ?? 0);`,
      JSON.stringify({ ...program, proctitleRe: program.proctitleRe.source }),
    ], { env: h.home.env(), stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => { out += chunk; });
    await new Promise((resolve) => child.on('close', resolve));
    const pid = Number(out.trim());
    h.reaper.track(pid);
    expect(pid).toBeGreaterThan(0);
    await sleep(100);
    expect(readProcess(pid)?.cmdline).toBe(program.command);
  });
});

import fs from 'node:fs';
import { nativeOrphanSpawn } from '@usrsvc/exitwatch';
import { isRunning, procCwd, procEnviron, procLimits, procNice, procUmask, waitFor } from '@usrsvc/testkit';
import { describe, expect, it } from 'vitest';
import { INHERITED_NOFILE_ENV } from './inheritedLimits.js';
import { ReturnCodes } from './returnCodes.js';
import { startProgram } from './startProgram.js';
import { useHarness } from './test-support/harness.js';
import { programConfig, sleeper } from './test-support/programConfig.js';

// Both launch paths: /bin/sh (prlimit, umask, nice) and the native double fork (setrlimit...).
const launchModes = [
  ['through /bin/sh', {}],
  ['through the native double fork', { orphanSpawn: nativeOrphanSpawn() }],
] as const;

describe.each(launchModes)('launch settings %s', (_mode, launchCtx) => {
  const h = useHarness(launchCtx);

  const start = async (overrides: Parameters<typeof programConfig>[1], options = {}) => {
    const result = await startProgram(programConfig(h.home, overrides), h.ctx, { ...h.track, ...options });
    if (result.process) h.reaper.track(result.process.pid);
    return result;
  };

  it('runs in `directory`, and by default in HOME, not in the folder usrsvc was started from', async () => {
    fs.mkdirSync(h.home.path('work'));
    const inDirectory = await start({ name: 'dir', command: `${sleeper(h.home)} 501`, directory: h.home.path('work') });
    expect(procCwd(inDirectory.process!.pid)).toBe(fs.realpathSync(h.home.path('work')));
    expect(process.cwd()).not.toBe(h.home.dir);
    const byDefault = await start({ name: 'home', command: `${sleeper(h.home)} 502` });
    expect(procCwd(byDefault.process!.pid)).toBe(fs.realpathSync(h.home.dir));
  });

  it('fails with 137 naming a missing directory, before anything runs', async () => {
    const missing = h.home.path('no-such-dir');
    const result = await start({ name: 'nodir', command: `${sleeper(h.home)} 503`, directory: missing });
    expect(result).toMatchObject({ code: ReturnCodes.PROGRAM_FAILED_TO_LAUNCH, outcome: 'failed-to-launch' });
    expect(result.message).toContain(missing);
  });

  it('reads env files at every start: later files win, [[Env]] wins over files', async () => {
    const a = h.home.write('a.env', 'export SHARED=from-a\nONLY_A="x\\ny"\n# comment\n');
    const b = h.home.write('b.env', "SHARED=from-b\nOVERRIDDEN='file'\n");
    const program = { name: 'envf', command: `${sleeper(h.home)} 504`, envFiles: [a, b], env: { OVERRIDDEN: 'env' } };
    const first = await start(program);
    expect(procEnviron(first.process!.pid)).toMatchObject({ SHARED: 'from-b', ONLY_A: 'x\ny', OVERRIDDEN: 'env' });
    process.kill(first.process!.pid, 'SIGKILL');
    await waitFor('the first run to die', () => !isRunning(first.process!.pid));
    h.home.write('b.env', 'SHARED=changed\n');
    const second = await start(program);
    expect(procEnviron(second.process!.pid)).toMatchObject({ SHARED: 'changed', ONLY_A: 'x\ny' });
  });

  it('fails with 137 naming a missing env file, or its file:line on a syntax error, never a value', async () => {
    const missing = h.home.path('missing.env');
    const gone = await start({ name: 'nofile', command: `${sleeper(h.home)} 505`, envFiles: [missing] });
    expect(gone).toMatchObject({ code: ReturnCodes.PROGRAM_FAILED_TO_LAUNCH });
    expect(gone.message).toContain(missing);
    const broken = h.home.write('broken.env', 'GOOD=1\nPASSWORD "hunter2"\n');
    const bad = await start({ name: 'badfile', command: `${sleeper(h.home)} 506`, envFiles: [broken] });
    expect(bad).toMatchObject({ code: ReturnCodes.PROGRAM_FAILED_TO_LAUNCH });
    expect(bad.message).toContain(`${broken}:2`);
    expect(bad.message).not.toContain('hunter2');
  });

  it('applies limits, umask and nice in the program', async () => {
    const result = await start({
      name: 'limits',
      command: `${sleeper(h.home)} 507`,
      limits: { nofile: { soft: 333, hard: 444 }, core: { soft: 'infinity', hard: 'infinity' }, stack: { soft: 4 << 20, hard: 8 << 20 } },
      umask: 0o027,
      nice: 5,
    });
    const pid = result.process!.pid;
    expect(procLimits(pid)).toMatchObject({
      nofile: { soft: 333, hard: 444 },
      core: { soft: 'infinity', hard: 'infinity' },
      stack: { soft: 4 << 20, hard: 8 << 20 },
    });
    expect(procUmask(pid)).toBe(0o027);
    expect(procNice(pid)).toBe(5);
  });

  it('fails with 137 naming a limit the kernel refuses', async () => {
    // A hard limit above the kernel's nr_open is refused even to root.
    const nrOpen = Number(fs.readFileSync('/proc/sys/fs/nr_open', 'utf8'));
    const result = await start({ name: 'refused', command: `${sleeper(h.home)} 508`, limits: { nofile: { soft: 1024, hard: nrOpen + 1 } } });
    expect(result).toMatchObject({ code: ReturnCodes.PROGRAM_FAILED_TO_LAUNCH });
    expect(result.message).toMatch(/limit_nofile|prlimit|nofile/);
  });

  it('without limit_nofile, gives the open-files limit usrsvc was started with, not the one Node raised', async () => {
    const own = procLimits('self').nofile!;
    expect(own.soft).toBe(own.hard); // Node raised it
    h.ctx.env = { ...h.ctx.env, [INHERITED_NOFILE_ENV]: `777:${own.hard}` };
    const result = await start({ name: 'inherit', command: `${sleeper(h.home)} 509` });
    expect(procLimits(result.process!.pid).nofile).toEqual({ soft: 777, hard: own.hard });
    expect(procEnviron(result.process!.pid)[INHERITED_NOFILE_ENV]).toBeUndefined();
  });

  it("environment 'previous-run': a restart gets the environment the last run was started with, env files and [[Env]] again on top", async () => {
    const file = h.home.write('p.env', 'FROM_FILE=1\n');
    const program = { name: 'prev', command: `${sleeper(h.home)} 510`, envFiles: [file], env: { FIXED: 'env' } };
    h.ctx.env = { ...h.ctx.env, FOO: 'x' };
    const first = await start(program);
    expect(procEnviron(first.process!.pid)).toMatchObject({ FOO: 'x', FROM_FILE: '1', FIXED: 'env' });
    process.kill(first.process!.pid, 'SIGKILL');
    await waitFor('the first run to die', () => !isRunning(first.process!.pid));

    // The daemon's own environment has no FOO; the env file changed meanwhile.
    const { FOO: _dropped, ...daemonEnv } = h.ctx.env;
    h.ctx.env = daemonEnv;
    h.home.write('p.env', 'FROM_FILE=2\n');
    const restarted = await start(program, { environment: 'previous-run' });
    expect(procEnviron(restarted.process!.pid)).toMatchObject({ FOO: 'x', FROM_FILE: '2', FIXED: 'env' });
    const recorded = fs.readdirSync(`${h.home.env().XDG_RUNTIME_DIR ?? `${h.home.dir}/.local/state`}/usrsvc/env`);
    expect(recorded).toEqual(['prev.json']);

    // A program no one started before: the caller's (here the daemon's) own environment.
    const fresh = await start({ ...program, name: 'fresh', command: `${sleeper(h.home)} 511` }, { environment: 'previous-run' });
    expect(procEnviron(fresh.process!.pid).FOO).toBeUndefined();
  });
});

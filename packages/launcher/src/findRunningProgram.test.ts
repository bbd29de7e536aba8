import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { snapshotProcesses } from '@usrsvc/procscan';
import { isRunning, readPidfile, waitFor } from '@usrsvc/testkit';
import { describe, expect, it } from 'vitest';
import { findRunningProgram } from './findRunningProgram.js';
import { writePidfile } from './pidfile.js';
import { useHarness } from './test-support/harness.js';
import { programConfig, sleeper } from './test-support/programConfig.js';

describe('findRunningProgram', () => {
  const h = useHarness();

  const startOutside = async (argv: string[]) => {
    const child = spawn(argv[0]!, argv.slice(1), { stdio: 'ignore', detached: true });
    child.unref();
    h.reaper.track(child.pid);
    await waitFor('exec', () => fs.readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').includes(argv.at(-1)!));
    return child.pid!;
  };

  it('adopts a process started outside usrsvc and writes its pidfile', async () => {
    const program = programConfig(h.home, { name: 'adopt', command: `${sleeper(h.home)} 330` });
    const pid = await startOutside([sleeper(h.home), '330']);
    const found = await findRunningProgram(program, h.ctx);
    expect(found).toMatchObject({ pid, foundBy: 'scan', cmdline: program.command });
    expect(readPidfile(program.pidfile)).toBe(pid);
    expect(await findRunningProgram(program, h.ctx)).toMatchObject({ pid, foundBy: 'pidfile' });
  });

  it('uses a table it is given for the scan', async () => {
    const program = programConfig(h.home, { name: 'table', command: `${sleeper(h.home)} 331` });
    const pid = await startOutside([sleeper(h.home), '331']);
    const table = await snapshotProcesses({ uid: process.getuid!() });
    expect(await findRunningProgram(program, h.ctx, table)).toMatchObject({ pid, foundBy: 'scan' });
  });

  it('removes a stale pidfile (unrelated process), leaves that process alone, and finds the real one', async () => {
    const program = programConfig(h.home, { name: 'stale', command: `${sleeper(h.home)} 332` });
    const unrelated = await startOutside([sleeper(h.home, 'other'), '332']);
    const real = await startOutside([sleeper(h.home), '332']);
    writePidfile(program.pidfile, unrelated);
    const found = await findRunningProgram(program, h.ctx);
    expect(found).toMatchObject({ pid: real, foundBy: 'scan' });
    expect(readPidfile(program.pidfile)).toBe(real);
    expect(isRunning(unrelated)).toBe(true);
    expect(h.logger.lines.some((line) => line.startsWith('warn: stale pidfile') && line.includes(String(unrelated)))).toBe(true);
  });

  it('does not scan when scan_for_process is off, and writes no pidfile without autopid', async () => {
    const off = programConfig(h.home, { name: 'noscan', command: `${sleeper(h.home)} 333`, scanForProcess: false });
    await startOutside([sleeper(h.home), '333']);
    expect(await findRunningProgram(off, h.ctx)).toBeUndefined();
    const noAutopid = { ...off, scanForProcess: true, autoPid: false };
    expect(await findRunningProgram(noAutopid, h.ctx)).toMatchObject({ foundBy: 'scan' });
    expect(fs.existsSync(off.pidfile)).toBe(false);
  });
});

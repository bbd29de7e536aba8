import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { readProcess, snapshotProcesses } from '@usrsvc/procscan';
import { waitFor } from '@usrsvc/testkit';
import { describe, expect, it } from 'vitest';
import { cookieCarriers } from './cookieCarriers.js';
import { LAUNCH_COOKIE, PROGRAM_COOKIE } from './launchCookie.js';
import { useHarness } from './test-support/harness.js';

/**
 * perl that waits for `trigger` to exist, then execs `sleep 600` with `env`: the same process
 * (PID and start time) with a new argv and a new environment.
 */
function execOnTrigger(trigger: string, before: NodeJS.ProcessEnv, after: Record<string, string>): number {
  const code = `until (-e $ARGV[0]) { select(undef, undef, undef, 0.02) } %ENV = (${Object.entries(after)
    .map(([k, v]) => `'${k}' => '${v}'`)
    .join(', ')}); exec '/bin/sleep', '600'`;
  const child = spawn('perl', ['-e', code, trigger], { env: { PATH: process.env.PATH, ...before }, stdio: 'ignore', detached: true });
  child.unref();
  return child.pid!;
}

const uid = process.getuid!();

describe('cookieCarriers', () => {
  const h = useHarness();

  async function carriersOf(name: string, pid: number) {
    const table = await snapshotProcesses({ uid });
    return cookieCarriers(table, name, uid).filter((c) => c.info.pid === pid);
  }

  it('reads a process again once it execs with a new environment, and finds one that gained a cookie by its exec', async () => {
    const gains = h.home.path('gain');
    const changes = h.home.path('change');
    const gainer = execOnTrigger(gains, {}, { [PROGRAM_COOKIE]: 'web', [LAUNCH_COOKIE]: 'second' });
    const changer = execOnTrigger(changes, { [PROGRAM_COOKIE]: 'web', [LAUNCH_COOKIE]: 'first' }, { [PROGRAM_COOKIE]: 'web', [LAUNCH_COOKIE]: 'third' });
    h.reaper.track(gainer);
    h.reaper.track(changer);
    await waitFor('both perls to run', () => readProcess(gainer)?.argv[0] === 'perl' && readProcess(changer)?.argv[0] === 'perl');

    expect(await carriersOf('web', gainer)).toEqual([]);
    expect((await carriersOf('web', changer)).map((c) => c.launch)).toEqual(['first']);
    // Asked again of a later table, unchanged processes give the same answer.
    expect((await carriersOf('web', changer)).map((c) => c.launch)).toEqual(['first']);

    fs.writeFileSync(gains, '');
    fs.writeFileSync(changes, '');
    await waitFor('both to exec sleep', () => readProcess(gainer)?.argv[0] === '/bin/sleep' && readProcess(changer)?.argv[0] === '/bin/sleep');

    expect((await carriersOf('web', gainer)).map((c) => c.launch)).toEqual(['second']);
    expect((await carriersOf('web', changer)).map((c) => c.launch)).toEqual(['third']);
    expect(await carriersOf('api', changer)).toEqual([]);
  });
});

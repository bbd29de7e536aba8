import { childrenOf, readPidfile, waitFor } from '@usrsvc/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { DaemonHarness, isLive } from './test-support/daemonHarness.js';

let h: DaemonHarness;
afterEach(async () => {
  await h.cleanup();
});

/** Program `name` (autopid = False) running `lines` under usrsvcd: its pidfile and its first PID, once started. */
async function runScript(name: string, lines: (pidfile: string) => string[]): Promise<{ pidfile: string; old: number }> {
  h = new DaemonHarness();
  const pidfile = h.home.path(`${name}.pid`);
  h.writeProgram(name, h.script(name, lines(pidfile).join('\n')), { autopid: 'False' });
  await h.startDaemonAndWait({ USRSVCD_SCAN_INTERVAL_MS: '500' });
  const old = await h.servicePid(pidfile);
  await h.waitForLog(new RegExp(`\\(${name}\\) - started as pid ${old}`));
  return { pidfile, old };
}

/** What a user checks once the old process has exited: the API shows `successor` running, no crash counted or logged. */
async function expectFollowed(name: string, successor: number): Promise<void> {
  const view = await waitFor('the API to show the new PID', async () => {
    const found = (await h.api().programs()).find((p) => p.name === name);
    return found?.state.state === 'running' && found.process?.pid === successor && found;
  });
  expect(view.restartCounts.crash).toBe(0);
  expect(h.log()).not.toMatch(new RegExp(`\\(${name}\\) - has stopped running`));
}

describe('a program that re-executes itself and writes a new pidfile (as nginx and gunicorn on USR2)', () => {
  it('is followed by usrsvcd to the new PID when the old process exits, not restarted', async () => {
    // On USR2 (nginx's order): start a copy of itself, which writes its PID to the pidfile; exit once it has.
    const { pidfile, old } = await runScript('re', (pidfile) => [
      `echo $$ > ${pidfile}`,
      `trap '/bin/sh "$0" & while [ "$(cat ${pidfile})" = "$$" ]; do sleep 0.05; done; exit 0' USR2`,
      'while :; do sleep 0.05; done',
    ]);
    process.kill(old, 'SIGUSR2');
    // usrsvcd learns of it by the exit of the old process, or earlier by the pidfile's change.
    await waitFor('the old process to exit', () => !isLive(old), { timeoutMs: 20_000 });
    const successor = readPidfile(pidfile)!;
    h.reaper.track(successor);
    expect(successor).not.toBe(old);
    expect(isLive(successor)).toBe(true);
    await expectFollowed('re', successor);
  });

  it("in gunicorn's order (the old process removes the pidfile as it exits, the new one writes it after): followed, not restarted", async () => {
    // On USR2: start a copy of itself (its child, as gunicorn's re-executed master is), which
    // writes the pidfile only once its parent has gone. On TERM: remove the pidfile and exit 0.
    const { pidfile, old } = await runScript('gu', (pidfile) => [
      'if [ -n "$HEIR_OF" ]; then',
      '  while [ "$(cut -d" " -f4 /proc/$$/stat)" = "$HEIR_OF" ]; do sleep 0.05; done',
      'fi',
      `echo $$ > ${pidfile}`,
      `trap 'HEIR_OF=$$ /bin/sh "$0" &' USR2`,
      `trap 'rm -f ${pidfile}; exit 0' TERM`,
      'while :; do sleep 0.05; done',
    ]);
    process.kill(old, 'SIGUSR2');
    const [heir] = await waitFor('the copy to run', () => {
      const copies = childrenOf(old, '/bin/sh');
      return copies.length === 1 && copies;
    });
    h.reaper.track(heir!.pid);
    process.kill(old, 'SIGTERM');
    await waitFor('the old process to exit', () => !isLive(old), { timeoutMs: 20_000 });
    await expectFollowed('gu', heir!.pid);
    expect(h.log()).toMatch(new RegExp(`\\(gu\\) - pid ${old} exited and its pidfile names pid ${heir!.pid}: following the program there`));
    expect(readPidfile(pidfile)).toBe(heir!.pid);
  });
});

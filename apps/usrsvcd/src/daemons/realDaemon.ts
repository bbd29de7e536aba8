import fs from 'node:fs';
import net from 'node:net';
import { readConfig } from '@usrsvc/config';
import { programStatus, restartProgram, startProgram, stopProgram } from '@usrsvc/launcher';
import { freePort, waitFor } from '@usrsvc/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { DaemonHarness, isLive } from '../test-support/daemonHarness.js';

/** Fails (never skips) when a daemon the suite needs is not installed. */
export function requireBinary(file: string, pkg: string): void {
  expect(fs.existsSync(file), `${file} is missing: install Debian's ${pkg} (scripts/install-system-packages.sh)`).toBe(true);
}

/** Sends `request` to 127.0.0.1:port and resolves with the first bytes of the answer (undefined when nothing answers). */
export function ask(port: number, request: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let answer = '';
    const done = (value: string | undefined) => {
      socket.destroy();
      resolve(value);
    };
    socket.setTimeout(2_000, () => done(undefined));
    socket.on('connect', () => socket.write(request));
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString();
      if (answer.includes('\n')) done(answer);
    });
    socket.on('error', () => done(undefined));
    socket.on('end', () => done(answer || undefined));
  });
}

/**
 * The live processes (not zombies) that carry program `name`'s launch cookie and this test's HOME
 * in their environment: the program's whole tree, wherever its members moved.
 */
export function cookieTreeOf(h: DaemonHarness, name: string): number[] {
  const found: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const environ = fs.readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0');
      if (!environ.includes(`USRSVC_PROGRAM=${name}`) || !environ.includes(`HOME=${h.home.dir}`)) continue;
      if (isLive(Number(entry))) found.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

export interface DaemonUnderTest {
  name: string;
  pidfile: string;
  /** Resolves true once the daemon answers on its port. */
  ready(): Promise<boolean>;
  /** How many processes its tree has once ready (1 for redis). */
  treeSize?: number;
}

const FAST = { USRSVCD_SCAN_INTERVAL_MS: '500' };

/**
 * The life of a real daemon configured from a README recipe: start, status, restart (new pid),
 * then under usrsvcd a kill -9 of its main process (restarted, nothing of the old tree left), and
 * `usrsvc stop` (nothing of the tree left, not restarted).
 */
export async function exerciseDaemon(h: DaemonHarness, d: DaemonUnderTest): Promise<void> {
  const warnings: string[] = [];
  const ctx = { env: h.env(), stateDir: h.stateDir, logger: { debug() {}, info() {}, warn: (m: string) => warnings.push(m), error: (m: string) => warnings.push(m) } };
  const program = () => readConfig({ env: h.env() }).programs.get(d.name)!;
  // What `usrsvc ACTION NAME` runs (apps/usrsvc is built on this package's bundle, so not used here).
  const run = async (action: 'start' | 'status' | 'restart' | 'stop') => {
    const act = { start: startProgram, restart: restartProgram, stop: stopProgram }[action as 'start'];
    const result = action === 'status' ? await programStatus(program(), ctx) : await act(program(), ctx, { byUser: true });
    h.trackServices();
    return { code: result.code, detail: `${result.message} ${warnings.join(' | ')}` };
  };
  const started = await run('start');
  expect(started.code, started.detail).toBe(0);
  await waitFor(`${d.name} to answer`, d.ready, { timeoutMs: 20_000 });
  const first = await h.servicePid(d.pidfile);
  for (let i = 0; i < 2; i += 1) {
    const status = await run('status');
    expect(status.code, status.detail).toBe(0);
    expect(status.detail).not.toContain('stale pidfile');
  }
  const restarted = await run('restart');
  expect(restarted.code, restarted.detail).toBe(0);
  const second = await h.servicePid(d.pidfile, first);
  expect(isLive(first)).toBe(false);
  await waitFor(`${d.name} to answer after the restart`, d.ready, { timeoutMs: 20_000 });

  await h.startDaemonAndWait(FAST);
  await h.waitForLog(new RegExp(`\\(${d.name}\\) - is running as pid ${second}`));
  // A status while usrsvcd runs changes nothing: the daemon never takes the live process for a crash.
  expect((await run('status')).code).toBe(0);
  expect(Number.parseInt(fs.readFileSync(d.pidfile, 'utf8'), 10)).toBe(second);
  expect(h.logLines(new RegExp(`\\(${d.name}\\) - has stopped running`))).toEqual([]);
  const oldTree = await waitFor(`${d.name}'s tree`, () => {
    // redis moves its environment to make room for its title: its main process is known by pid.
    const tree = [...new Set([second, ...cookieTreeOf(h, d.name)])];
    return tree.length >= (d.treeSize ?? 1) && tree;
  });
  for (const pid of oldTree) h.reaper.track(pid);
  process.kill(second, 'SIGKILL');
  const third = await h.servicePid(d.pidfile, second, 30_000);
  await h.waitForLog(new RegExp(`\\(${d.name}\\) - started as pid ${third}`), { timeoutMs: 30_000 });
  await waitFor(`nothing of ${d.name}'s old tree left`, () => oldTree.every((pid) => !isLive(pid)), { timeoutMs: 20_000 });
  await waitFor(`${d.name} to answer after its crash`, d.ready, { timeoutMs: 20_000 });
  // The daemon did not take the live process for a crash.
  expect(h.logLines(new RegExp(`\\(${d.name}\\) - .*start attempt \\d+ failed`))).toEqual([]);

  const tree = [...new Set([third, ...cookieTreeOf(h, d.name)])];
  for (const pid of tree) h.reaper.track(pid);
  const stopped = await run('stop');
  expect(stopped.code, stopped.detail).toBe(0);
  await waitFor(`nothing of ${d.name}'s tree left after stop`, () => cookieTreeOf(h, d.name).length === 0 && !isLive(third), { timeoutMs: 20_000 });
  expect(tree.every((pid) => !isLive(pid))).toBe(true);
}

/** A README recipe for a real daemon, as exerciseDaemon runs it. */
export interface Recipe {
  /** The daemon's name, also the program's. */
  name: string;
  /** Its binary, and the Debian package that installs it. */
  binary: string;
  pkg: string;
  /** Writes what the daemon needs in the test's HOME and its program section; returns the pidfile. */
  configure(h: DaemonHarness, port: number): string;
  /** What a client sends to 127.0.0.1:port, and what the first line of a ready daemon's answer matches. */
  probe: { request: string; answer: RegExp };
  treeSize?: number;
}

/** One test file's suite: the recipe's daemon through exerciseDaemon, in its own TempHome, cleaned up by PID. */
export function describeRecipe(title: string, recipe: Recipe): void {
  let h: DaemonHarness | undefined;
  afterEach(async () => {
    await h?.cleanup();
    h = undefined;
  });
  describe(title, () => {
    it('starts, reports, restarts, comes back after kill -9 and stops, under the real usrsvcd', async () => {
      requireBinary(recipe.binary, recipe.pkg);
      h = new DaemonHarness();
      const port = await freePort();
      const pidfile = recipe.configure(h, port);
      const ready = async () => recipe.probe.answer.test((await ask(port, recipe.probe.request)) ?? '');
      await exerciseDaemon(h, { name: recipe.name, pidfile, ready, ...(recipe.treeSize ? { treeSize: recipe.treeSize } : {}) });
    }, 120_000);
  });
}

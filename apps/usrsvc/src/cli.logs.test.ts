import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { rotateLog } from '@usrsvc/logs';
import { waitFor } from '@usrsvc/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { type CliTestHome, makeCliTestHome } from './test-support/cliTestHome.js';
import { BIN } from './test-support/runCli.js';

const ESCAPE = '\u001b[';

/** A program that writes "out N" to stdout and "err N" to stderr, forever; N starts at 1. */
function chattyProgram(t: { home: CliTestHome['home'] }, name: string): string {
  const script = t.home.write(
    `bin/${name}.sh`,
    'i=0\nwhile :; do i=$((i+1)); echo "out $i"; echo "err $i" >&2; sleep 0.02; done\n',
    0o755,
  );
  return `/bin/sh ${script}`;
}

/** `usrsvc logs ... -f` running in the background, its stdout collected as it comes. */
function follow(t: CliTestHome, args: string[]) {
  const child = spawn(process.execPath, [BIN, 'logs', ...args], { env: t.home.env(), stdio: ['ignore', 'pipe', 'pipe'] });
  t.reaper.track(child.pid);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  // Labels are padded to one width: "a        | text" is compared as "a | text".
  return { child, lines: () => stdout.split('\n').filter(Boolean).map((line) => line.replace(/ +\| /, ' | ')), stderr: () => stderr, exited };
}

const numbers = (lines: string[], prefix: RegExp) =>
  lines.map((line) => prefix.exec(line)).filter((m): m is RegExpExecArray => m !== null).map((m) => Number(m[1]));

describe('usrsvc logs', () => {
  let t: CliTestHome;
  afterEach(() => t.cleanup());

  it('prints the last N lines of both streams, labelled, without escape codes on a pipe; --json; --stderr', async () => {
    t = makeCliTestHome((home) => ({ web: { command: chattyProgram({ home }, 'web'), stderr: home.path('logs', 'web.err') } }));
    expect((await t.usrsvc(['start', 'web'])).code).toBe(0);
    await waitFor('some output', () => fs.readFileSync(t.home.path('logs', 'web.err'), 'utf8').split('\n').length > 5);

    const run = await t.usrsvc(['logs', 'web', '-n', '2'], { extraEnv: { FORCE_COLOR: '1', NO_COLOR: '1' } });
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines.slice(0, 2).every((line) => /^web {8}\| out \d+$/.test(line))).toBe(true);
    expect(lines.slice(2).every((line) => /^web stderr \| err \d+$/.test(line))).toBe(true);
    expect(run.stdout).not.toContain(ESCAPE);

    const json = await t.usrsvc(['logs', 'web', '-n', '1', '--json', '--stderr']);
    expect(JSON.parse(json.stdout)).toEqual({ program: 'web', stream: 'stderr', line: expect.stringMatching(/^err \d+$/) });

    const coloured = await t.usrsvc(['logs', 'all', '-n', '1'], { extraEnv: { FORCE_COLOR: '1' } });
    expect(coloured.stdout).toContain(ESCAPE);
  });

  it('an unknown program is 133; a file not written yet is 1 with its path; no name is a usage error', async () => {
    t = makeCliTestHome((home) => ({ idle: { command: 'sleep 1', stdout: home.path('logs', 'never.log') } }));
    const unknown = await t.usrsvc(['logs', 'nope']);
    expect(unknown.code).toBe(133);
    expect(unknown.stderr).toContain('No such program: nope');
    const missing = await t.usrsvc(['logs', 'idle']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`cannot read ${t.home.path('logs', 'never.log')}`);
    const usage = await t.usrsvc(['logs']);
    expect(usage.code).toBe(1);
    expect(usage.stderr).toContain('needs a program name or "all"');
    expect((await t.usrsvc(['logs', 'idle', '-n', 'x'])).code).toBe(1);
  });

  it('-f follows a running program across copy-truncate rotations without a repeated line', async () => {
    t = makeCliTestHome((home) => ({ web: { command: chattyProgram({ home }, 'web') } }));
    const file = t.home.path('logs', 'web.log');
    expect((await t.usrsvc(['start', 'web'])).code).toBe(0);
    await waitFor('some output', () => fs.existsSync(file) && fs.statSync(file).size > 0);
    const follower = follow(t, ['web', '-f', '-n', '1']);
    await waitFor('the follower to print', () => follower.lines().length > 0);
    for (let rotation = 0; rotation < 3; rotation += 1) {
      const before = Math.max(...numbers(follower.lines(), /(?:out|err) (\d+)$/));
      await rotateLog(file, { backups: 5 });
      await waitFor('lines after the rotation', () => Math.max(...numbers(follower.lines(), /out (\d+)$/)) > before + 3);
    }
    follower.child.kill('SIGINT');
    expect(await follower.exited).toBe(0);
    const outs = numbers(follower.lines(), /out (\d+)$/);
    expect(new Set(outs).size).toBe(outs.length);
    expect(outs).toEqual([...outs].sort((a, b) => a - b));
  });

  it('-f follows a file renamed away and created again (rotation by rename), and a program with no file yet', async () => {
    t = makeCliTestHome({ a: { command: 'sleep 1' }, b: { command: 'sleep 2' } });
    const fileA = t.home.write('logs/a.log', 'a 1\n');
    const fileB = t.home.path('logs', 'b.log');
    const follower = follow(t, ['all', '-f']);
    await waitFor('the first line', () => follower.lines().includes('a | a 1'));
    expect(follower.stderr()).toContain(`cannot read ${fileB}`);
    fs.appendFileSync(fileA, 'a 2\n');
    fs.renameSync(fileA, `${fileA}.1`);
    fs.writeFileSync(fileA, 'a 3\n');
    await waitFor('the line in the new file', () => follower.lines().includes('a | a 3'));
    follower.child.kill('SIGTERM');
    await follower.exited;
    expect(follower.lines()).toEqual(['a | a 1', 'a | a 2', 'a | a 3']);
  });
});

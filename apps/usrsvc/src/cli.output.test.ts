import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { type CliTestHome, makeCliTestHome } from './test-support/cliTestHome.js';
import { BIN } from './test-support/runCli.js';
import { uniqueSleep } from './test-support/testConfig.js';

const ESCAPE = '\u001b[';

describe('usrsvc output: colour, completion', () => {
  let t: CliTestHome;
  afterEach(() => t.cleanup());

  it('writes no escape codes to a pipe, nor with NO_COLOR even when colour is forced', async () => {
    t = makeCliTestHome({ web: { command: uniqueSleep() }, idle: { command: uniqueSleep() } });
    const piped = await t.usrsvc(['start', 'web']);
    expect(piped.stdout).toContain('Started web');
    expect(piped.stdout + piped.stderr).not.toContain(ESCAPE);

    const forced = await t.usrsvc(['status'], { extraEnv: { FORCE_COLOR: '1' } });
    expect(forced.stdout).toContain(ESCAPE);

    for (const args of [['status'], ['status', 'web'], ['status', 'idle'], ['frob', 'web']]) {
      const run = await t.usrsvc(args, { extraEnv: { FORCE_COLOR: '1', NO_COLOR: '1' } });
      expect(run.stdout + run.stderr, args.join(' ')).not.toContain(ESCAPE);
    }
  });

  it('colours a terminal, and not with NO_COLOR (run under script(1) for a real TTY)', () => {
    t = makeCliTestHome({ idle: { command: uniqueSleep() } });
    const inTerminal = (env: NodeJS.ProcessEnv) =>
      spawnSync('script', ['-qec', `${process.execPath} ${BIN} status`, '/dev/null'], { env, encoding: 'utf8' }).stdout;
    const colourful = inTerminal({ ...t.home.env(), TERM: 'xterm' });
    expect(colourful).toContain('idle');
    expect(colourful).toContain(ESCAPE);
    const plain = inTerminal({ ...t.home.env(), TERM: 'xterm', NO_COLOR: '1' });
    expect(plain).toContain('idle');
    expect(plain).not.toContain(ESCAPE);
  });

  it('prints a completion script, and completes actions and program names', async () => {
    t = makeCliTestHome({ web: { command: uniqueSleep() }, worker: { command: uniqueSleep() } });
    const script = await t.usrsvc(['completion']);
    expect(script.code).toBe(0);
    expect(script.stdout).toContain('usrsvc --get-yargs-completions');

    const actions = await t.usrsvc(['--get-yargs-completions', 'usrsvc', '']);
    expect(actions.stdout.split('\n')).toEqual(expect.arrayContaining(['start', 'stop', 'restart', 'status']));
    const names = await t.usrsvc(['--get-yargs-completions', 'usrsvc', 'stop', 'w']);
    expect(names.stdout.trim().split('\n')).toEqual(['web', 'worker']);
    const all = await t.usrsvc(['--get-yargs-completions', 'usrsvc', 'start', '']);
    expect(all.stdout.trim().split('\n')).toEqual(['all', 'web', 'worker']);
  });
});

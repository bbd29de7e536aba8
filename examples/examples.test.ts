import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { readConfig } from '@usrsvc/config';
import { isRunning, Reaper } from '@usrsvc/testkit';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs helper shared with the demo, without type declarations
import { makeSandbox } from './scripts/makeSandbox.mjs';

const reaper = new Reaper();
const sandboxes: string[] = [];
afterEach(() => {
  reaper.killAll();
  for (const dir of sandboxes.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('the example configuration', () => {
  it('loads with every program, its defaults and monitors, and no warnings', () => {
    const sandbox = makeSandbox();
    sandboxes.push(sandbox.home);
    const config = readConfig({ path: path.join(sandbox.home, 'usrsvc.cfg'), env: { HOME: sandbox.home } });
    expect([...config.programs.keys()].sort()).toEqual(['batch', 'leaky', 'web', 'worker']);
    expect(config.warnings).toEqual([]);
    const web = config.programs.get('web')!;
    expect(web.env).toEqual({ DEMO_GREETING: 'hello from usrsvc', DEMO_ROLE: 'web' });
    expect(web.successSeconds).toBe(1);
    expect(web.stderr).toBe(web.stdout);
    const worker = config.programs.get('worker')!;
    expect(worker.monitoring.activityfile).toBe(path.join(sandbox.home, 'usrsvc.d/run/worker.activity'));
    expect(worker.monitoring.monitor_after).toBe(5);
    expect(config.programs.get('leaky')!.monitoring.rss_limit).toBe(120000);
    expect(config.programs.get('batch')!.autoStart).toBe(false);
  });
});

describe('the demo', () => {
  it('runs usrsvcd on the example, repairs a crash, and leaves nothing running', async () => {
    const demo = spawn(process.execPath, [path.join(import.meta.dirname, 'demo.mjs')], {
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    reaper.track(demo.pid);
    let output = '';
    demo.stdout.on('data', (chunk) => (output += chunk));
    demo.stderr.on('data', (chunk) => (output += chunk));
    const code = await new Promise<number | null>((resolve) => demo.on('exit', resolve));

    const home = /Sandbox HOME: (\S+)/.exec(output)?.[1];
    expect(home, output).toBeDefined();
    sandboxes.push(home!);
    const pids = ['web', 'worker', 'leaky', 'batch'].map((name) => {
      const file = path.join(home!, 'usrsvc.d/pids', `${name}.pid`);
      reaper.trackPidfile(file);
      return fs.existsSync(file) ? Number(fs.readFileSync(file, 'utf8')) : undefined;
    });
    expect(code, output).toBe(0);
    expect(output).toMatch(/web: pid \d+ killed, pid \d+ running [\d.]+ ms later, verified after success_seconds/);
    expect(output).toContain('still running after usrsvcd exited: web');
    expect(output).toMatch(/leaky: pid \d+ was restarted by the RSS monitor/);
    for (const pid of pids) if (pid) expect(isRunning(pid)).toBe(false);
  });
});

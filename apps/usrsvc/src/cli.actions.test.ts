import fs from 'node:fs';
import { isInitOrSubreaper, isRunning, procStat, readPidfile, waitFor } from '@usrsvc/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { type CliTestHome, makeCliTestHome } from './test-support/cliTestHome.js';
import { pidsWithCmdline, processGroupOf } from './test-support/procs.js';
import { uniqueSleep } from './test-support/testConfig.js';

const TIMESTAMP = /^\[\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}\] - /;

describe('usrsvc start / status / stop / restart (built CLI, real processes)', () => {
  let t: CliTestHome;
  afterEach(() => t.cleanup());

  it('starts a program that is not its child, reports it, stops it and restarts it', async () => {
    const command = uniqueSleep();
    t = makeCliTestHome({ Looper: { command } });

    const start = await t.usrsvc(['start', 'Looper']);
    expect(start.code, start.stderr).toBe(0);
    expect(start.stdout).toMatch(TIMESTAMP);
    expect(start.stdout).toContain('Started Looper:');
    const pid = readPidfile(t.pidfiles.Looper!)!;
    expect(start.stdout).toContain(`'cmdline': '${command}', 'pid': ${pid}, 'executable': `);
    expect(start.stdout).toContain("'running': True}");
    // usrsvc has exited and the service runs on, adopted by init or a subreaper, in its own group.
    expect(isRunning(pid)).toBe(true);
    expect(isRunning(start.pid)).toBe(false);
    expect(isInitOrSubreaper(procStat(pid)!.ppid)).toBe(true);
    expect(processGroupOf(pid)).not.toBe(start.pid);

    const again = await t.usrsvc(['start', 'Looper']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Program Looper is already running:');

    const status = await t.usrsvc(['status', 'Looper']);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(TIMESTAMP);
    expect(status.stdout).toContain(`Looper is running:\n\n{'args': ['${command.split(' ')[1]}'], 'cmdline': '${command}', 'pid': ${pid},`);

    const restart = await t.usrsvc(['restart', 'Looper']);
    expect(restart.code, restart.stderr).toBe(0);
    expect(restart.stdout).toContain('Restarted Looper:');
    const newPid = readPidfile(t.pidfiles.Looper!)!;
    expect(newPid).not.toBe(pid);
    expect(isRunning(pid)).toBe(false);
    expect(isRunning(newPid)).toBe(true);

    const stop = await t.usrsvc(['stop', 'Looper']);
    expect(stop.code, stop.stderr).toBe(0);
    expect(stop.stdout).toMatch(new RegExp(`${TIMESTAMP.source}Stopping Looper \\[${newPid}\\]\\n`));
    expect(stop.stdout).toContain('Looper terminated');
    expect(isRunning(newPid)).toBe(false);
    expect(fs.existsSync(t.pidfiles.Looper!)).toBe(false);

    const stopped = await t.usrsvc(['status', 'Looper']);
    expect(stopped.code).toBe(1);
    expect(stopped.stdout).toBe('');
    expect(stopped.stderr).toContain('Looper is NOT running (stopped by user)');

    const stopAgain = await t.usrsvc(['stop', 'Looper']);
    expect(stopAgain.code).toBe(0);
    expect(stopAgain.stdout).toContain('Looper was not running.');
  });

  it('marks a program stopped by the user on stop, and clears the mark on start and restart', async () => {
    t = makeCliTestHome({ Marked: { command: uniqueSleep() } });
    const mark = t.home.path('.local', 'state', 'usrsvc', 'stopped', 'Marked');

    expect((await t.usrsvc(['start', 'Marked'])).code).toBe(0);
    expect((await t.usrsvc(['stop', 'Marked'])).code).toBe(0);
    expect(fs.existsSync(mark)).toBe(true);
    const json = JSON.parse((await t.usrsvc(['status', 'Marked', '--json'])).stdout);
    expect(json.outcome).toBe('stopped-by-user');

    expect((await t.usrsvc(['start', 'Marked'])).code).toBe(0);
    expect(fs.existsSync(mark)).toBe(false);

    expect((await t.usrsvc(['stop', 'Marked'])).code).toBe(0);
    expect(fs.existsSync(mark)).toBe(true);
    expect((await t.usrsvc(['restart', 'Marked'])).code).toBe(0);
    expect(fs.existsSync(mark)).toBe(false);
  });

  it('--json prints one parseable document with the process fields, for every action', async () => {
    const command = uniqueSleep();
    t = makeCliTestHome({ Json: { command } });
    const fields = ['name', 'action', 'code', 'codeName', 'outcome', 'message', 'running', 'pid', 'cmdline', 'argv', 'executable', 'startTime', 'uptimeSeconds', 'rssKb'];

    const start = JSON.parse((await t.usrsvc(['start', 'Json', '--json'])).stdout);
    expect(Object.keys(start)).toEqual(expect.arrayContaining(fields));
    expect(start).toMatchObject({ name: 'Json', action: 'start', code: 0, codeName: 'SUCCESS', outcome: 'started', running: true, cmdline: command, argv: command.split(' ') });
    expect(start.pid).toBe(readPidfile(t.pidfiles.Json!));
    expect(start.executable).toMatch(/sleep$/);
    expect(Number.isNaN(Date.parse(start.startTime))).toBe(false);
    expect(start.rssKb).toBeGreaterThan(0);
    expect(start.uptimeSeconds).toBeGreaterThanOrEqual(0);

    const status = JSON.parse((await t.usrsvc(['--json', 'status', 'Json'])).stdout);
    expect(status).toMatchObject({ action: 'status', running: true, pid: start.pid });
    // The same process: procscan derives start times from the boot time, known to a few ms.
    expect(Math.abs(Date.parse(status.startTime) - Date.parse(start.startTime))).toBeLessThan(1000);

    const restart = JSON.parse((await t.usrsvc(['restart', 'Json', '--json'])).stdout);
    expect(restart).toMatchObject({ action: 'restart', code: 0, running: true });
    expect(restart.pid).not.toBe(start.pid);

    const stop = JSON.parse((await t.usrsvc(['stop', 'Json', '--json'])).stdout);
    expect(stop).toMatchObject({ action: 'stop', code: 0, outcome: 'terminated', running: false, pid: restart.pid, uptimeSeconds: null, rssKb: null });

    const notRunning = await t.usrsvc(['status', 'Json', '--json']);
    expect(notRunning.code).toBe(1);
    expect(JSON.parse(notRunning.stdout)).toMatchObject({ running: false, pid: null, cmdline: null, argv: null, code: 1 });
  });

  it('a Ctrl-C (SIGINT to its process group) while usrsvc starts a program kills neither', async () => {
    const command = uniqueSleep();
    // A long success_seconds keeps usrsvc busy while the service already runs.
    t = makeCliTestHome({ Sturdy: { command, success_seconds: 1.5 } });
    let cliPid = 0;
    const running = t.usrsvc(['start', 'Sturdy'], { onSpawn: (pid) => (cliPid = pid) });
    const [servicePid] = await waitFor('the service to be launched', () => {
      const pids = pidsWithCmdline(command);
      return pids.length > 0 && pids;
    });
    t.reaper.track(servicePid);
    process.kill(-cliPid, 'SIGINT');
    const start = await running;

    expect(start.code, start.stderr).toBe(0);
    expect(start.stderr).toContain('SIGINT ignored');
    expect(readPidfile(t.pidfiles.Sturdy!)).toBe(servicePid);
    expect(isRunning(servicePid!)).toBe(true);

    // And again once usrsvc has exited: the service is not in that process group.
    try {
      process.kill(-cliPid, 'SIGINT');
    } catch {
      // the group is empty: nothing of usrsvc's is left
    }
    expect(isRunning(servicePid!)).toBe(true);
    expect(isInitOrSubreaper(procStat(servicePid!)!.ppid)).toBe(true);
  });
});

import fs from 'node:fs';
import { readPidfile, waitFor } from '@usrsvc/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { DaemonHarness, isLive } from './test-support/daemonHarness.js';

let h: DaemonHarness;
afterEach(async () => {
  await h.cleanup();
});

describe('monitors and alerts', () => {
  it('restarts a program whose activity file goes stale, and mails alerts through sendmail', async () => {
    h = new DaemonHarness();
    const mails = h.home.path('mails.txt');
    const sendmail = h.home.write('sendmail', `#!/bin/sh\n{ echo "=== $*"; cat; } >> ${mails}\n`, 0o755);
    h.writeMain(`sendmail_path = ${sendmail}\nalert_interval = 0\nmonitor_interval = 0.3\nmonitor_timeout = 2`);
    const activity = h.home.write('activity', '');
    const pidfile = h.writeProgram('stale', h.uniqueSleep(), { email_alerts: 'ops@example.com' });
    fs.appendFileSync(
      `${h.confDir}/stale.cfg`,
      `  [[Monitoring]]\n  monitor_after = 1\n  activityfile = ${activity}\n  activityfile_limit = 1\n`,
    );
    expect((await h.runCli(['checkconfig'])).code).toBe(0);
    await h.startDaemonAndWait();
    const first = await h.servicePid(pidfile);

    await h.waitForLog(/\(stale\) - WARNING: MONITOR: activityfile asks for a restart of pid \d+: activity file .* not modified/);
    const second = await h.servicePid(pidfile, first);
    expect(second).not.toBe(first);
    await h.waitForLog(/\(stale\) - started as pid/, { count: 2 });

    const text = await waitFor('alert mails', () => {
      const content = fs.existsSync(mails) ? fs.readFileSync(mails, 'utf8') : '';
      return content.includes('ops@example.com') && /activity/i.test(content) ? content : undefined;
    }, { timeoutMs: 20_000 });
    expect(text).toMatch(/stale/);
  });
});

describe('robustness against what a user can configure', () => {
  it('survives a monitor plugin that throws, and a reread naming a plugin that does not exist', async () => {
    h = new DaemonHarness();
    const plugin = h.home.write(
      'boom-plugin.mjs',
      `export default {
  name: 'boom',
  keys: { boom: { type: 'string', description: 'what to break' } },
  create(program) {
    if (program.monitoring.boom === 'create') throw new Error('create boom');
    if (!program.monitoring.boom) return undefined;
    return { name: 'boom', check() { throw new Error('check boom'); } };
  },
};
`,
    );
    h.writeMain(`monitor_plugins = ${plugin}\nmonitor_interval = 0.3`);
    const checkPidfile = h.writeProgram('checks', h.uniqueSleep());
    fs.appendFileSync(`${h.confDir}/checks.cfg`, '  [[Monitoring]]\n  monitor_after = 0\n  boom = check\n');
    h.writeProgram('creates', h.uniqueSleep());
    fs.appendFileSync(`${h.confDir}/creates.cfg`, '  [[Monitoring]]\n  boom = create\n');
    expect((await h.runCli(['checkconfig'])).code).toBe(0);

    const daemon = await h.startDaemonAndWait();
    const pid = await h.servicePid(checkPidfile);
    await h.waitForLog(/\(checks\) - WARNING: MONITOR: boom failed: check boom \(not a reason to restart\)/, { count: 2 });
    expect(h.log()).toMatch(/\(creates\) - ERROR: MONITOR: .*create boom/);
    expect(readPidfile(checkPidfile)).toBe(pid);

    h.writeMain('monitor_plugins = /nonexistent/usrsvc-monitor-nothing.mjs');
    process.kill(daemon.pid!, 'SIGUSR1');
    await h.waitForLog(/ERROR: {3}.*monitor_plugins/);
    expect(isLive(daemon.pid!)).toBe(true);
    expect(isLive(pid)).toBe(true);
  });
});

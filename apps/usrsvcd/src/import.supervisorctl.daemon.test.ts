import fs from 'node:fs';
import path from 'node:path';
import { apiSocketPath } from '@usrsvc/api';
import { importConfig } from '@usrsvc/import';
import { waitFor } from '@usrsvc/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { DaemonHarness, isLive } from './test-support/daemonHarness.js';
import { supervisorctl } from './test-support/supervisorClients.js';

let h: DaemonHarness;
afterEach(async () => {
  await h.cleanup();
});

describe('usrsvc import round trip', () => {
  it('programs imported from a supervisord config run under usrsvcd and show, stop and start in supervisorctl', async () => {
    h = new DaemonHarness();
    const conf = h.home.write(
      'etc/supervisord.conf',
      [
        '[program:alpha]',
        `command = ${h.uniqueSleep()} ; first`,
        'startsecs = 0.3',
        'stopwaitsecs = 2',
        '[program:beta]',
        `command = ${h.uniqueSleep()}`,
        'startsecs = 0.3',
        'stopwaitsecs = 2',
      ].join('\r\n'),
    );
    const result = await importConfig('supervisord', [conf], { env: h.env() });
    for (const program of result.programs) {
      for (const folder of program.folders) fs.mkdirSync(folder, { recursive: true });
      fs.writeFileSync(path.join(h.confDir, `${program.name}.cfg`), program.text, { flag: 'wx' });
    }
    expect(result.complete).toBe(true);
    const pidfiles = ['alpha', 'beta'].map((name) => h.home.path('usrsvc.d', 'pids', `${name}.pid`));
    for (const pidfile of pidfiles) h.reaper.trackPidfile(pidfile);
    expect((await h.runCli(['checkconfig'])).code).toBe(0);

    await h.startDaemonAndWait({ USRSVCD_SCAN_INTERVAL_MS: '500' });
    const url = `unix://${apiSocketPath(h.stateDir)}`;
    const ctl = (...args: string[]) => supervisorctl(url, args, h.env());
    await waitFor('alpha and beta RUNNING in supervisorctl status', async () => {
      const { stdout } = await ctl('status');
      return ['alpha', 'beta'].every((name) => new RegExp(`^${name}\\s+RUNNING\\s+pid \\d+`, 'm').test(stdout));
    }, { timeoutMs: 30_000 });
    const alphaPid = await h.servicePid(pidfiles[0]!);
    expect(await ctl('stop', 'alpha')).toMatchObject({ code: 0, stdout: 'alpha: stopped\n' });
    expect(isLive(alphaPid)).toBe(false);
    expect(await ctl('start', 'alpha')).toMatchObject({ code: 0, stdout: 'alpha: started\n' });
    await h.servicePid(pidfiles[0]!, alphaPid);
  });
});

import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { apiSocketPath } from '@usrsvc/api';
import { ReturnCodes } from '@usrsvc/launcher';
import { instanceProgram, procEnviron, readPidfile, waitFor } from '@usrsvc/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { DaemonHarness, isLive } from './test-support/daemonHarness.js';
import { supervisorctl } from './test-support/supervisorClients.js';

const FAST = { USRSVCD_SCAN_INTERVAL_MS: '500' };
let h: DaemonHarness;
afterEach(async () => {
  await h.cleanup();
});

/** conf.d/worker.cfg with `instances = count`, a pidfile and stdout per instance. */
function writeWorkers(count: number, extra = ''): void {
  const lines = [
    '[Program:worker]',
    `command = ${instanceProgram(h.home, h.home.path('events.log'))}`,
    `instances = ${count}`,
    `pidfile = ${h.home.path('worker-%(instance)02d.pid')}`,
    `stdout = ${h.home.path('worker-%(instance)02d.out')}`,
    'success_seconds = 0.3',
    'term_to_kill_seconds = 2',
    extra,
  ];
  fs.writeFileSync(path.join(h.confDir, 'worker.cfg'), `${lines.join('\n')}\n`);
  for (let k = 0; k < Math.max(count, 3); k++) h.reaper.trackPidfile(pidfileOf(k));
}

const pidfileOf = (k: number) => h.home.path(`worker-0${k}.pid`);
const pidsOf = (count: number) => Promise.all(Array.from({ length: count }, (_, k) => h.servicePid(pidfileOf(k))));

function metrics(): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get({ socketPath: apiSocketPath(h.stateDir), path: '/metrics' }, (response) => {
        let body = '';
        response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve(body));
      })
      .on('error', reject);
  });
}

describe('usrsvcd with instances = 3', () => {
  it('supervises each instance as its own program: a killed NAME@2 is restarted alone; the API and metrics name each', async () => {
    h = new DaemonHarness();
    writeWorkers(3);
    await h.startDaemonAndWait(FAST);
    const [first, second, third] = await pidsOf(3);
    expect(procEnviron(third!).USRSVC_INSTANCE).toBe('2');

    process.kill(third!, 'SIGKILL');
    const again = await h.servicePid(pidfileOf(2), third);
    expect(procEnviron(again).USRSVC_INSTANCE).toBe('2');
    expect([readPidfile(pidfileOf(0)), readPidfile(pidfileOf(1))]).toEqual([first, second]);
    await h.waitForLog(/\(worker@2\) - .*(exited|died|gone)/i);
    expect(h.logLines(/\(worker@[01]\) - .*(exited|died|gone)/i)).toEqual([]);

    const api = h.api();
    const view = await waitFor('worker@2 running again in the API', async () => {
      const found = await api.program('worker@2');
      return found.process?.pid === again ? found : undefined;
    });
    expect(view.instance).toEqual({ program: 'worker', instance: 2, instances: 3 });
    expect(view.restartCounts.crash).toBe(1);
    expect((await api.program('worker@0')).restartCounts.crash).toBe(0);
    expect((await api.programs()).map((p) => p.name).filter((name) => name.startsWith('worker'))).toEqual(['worker@0', 'worker@1', 'worker@2']);
    const text = await metrics();
    expect(text).toMatch(/usrsvc_program_restarts_total\{(?=[^}]*program="worker@2")(?=[^}]*reason="crash")[^}]*\} 1/);
    expect(text).toMatch(/usrsvc_program_up\{program="worker@1"[^}]*\} 1/);
  });

  it('reread 3 -> 2 stops NAME@2 and leaves the others; 2 -> 3 starts it again', async () => {
    h = new DaemonHarness();
    writeWorkers(3);
    await h.startDaemonAndWait(FAST);
    const [first, second, third] = await pidsOf(3);

    writeWorkers(2);
    expect((await h.runCli(['reread'])).code).toBe(0);
    await h.waitForLog(/\(worker@2\) - removed from the configuration \(worker has fewer instances now\): stopping it/);
    await waitFor('worker@2 to stop', () => !isLive(third!));
    expect([readPidfile(pidfileOf(0)), readPidfile(pidfileOf(1))]).toEqual([first, second]);
    expect(isLive(first!) && isLive(second!)).toBe(true);
    expect(h.logLines(/Applied the new configuration/).at(-1)).toMatch(/added: none; removed: worker@2; changed: none/);

    writeWorkers(3);
    expect((await h.runCli(['reread'])).code).toBe(0);
    const back = await h.servicePid(pidfileOf(2), third);
    expect(procEnviron(back).USRSVC_INSTANCE).toBe('2');
    expect([readPidfile(pidfileOf(0)), readPidfile(pidfileOf(1))]).toEqual([first, second]);
  });

  it('supervisorctl sees group worker with processes worker@k: status, stop and start worker:*', async () => {
    h = new DaemonHarness();
    writeWorkers(3);
    await h.startDaemonAndWait(FAST);
    await pidsOf(3);
    const url = `unix://${apiSocketPath(h.stateDir)}`;
    const ctl = (...args: string[]) => supervisorctl(url, args, h.env());
    await waitFor('every instance RUNNING in supervisorctl status', async () => {
      const { stdout } = await ctl('status');
      return [0, 1, 2].every((k) => new RegExp(`^worker:worker@${k}\\s+RUNNING\\s+pid \\d+`, 'm').test(stdout));
    });

    const stop = await ctl('stop', 'worker:*');
    expect(stop.code, stop.stderr).toBe(0);
    expect(stop.stdout.split('\n').filter(Boolean).sort()).toEqual(['worker:worker@0: stopped', 'worker:worker@1: stopped', 'worker:worker@2: stopped']);
    for (const k of [0, 1, 2]) expect((await h.api().program(`worker@${k}`)).state.state).toBe('stopped-by-user');
    const status = await ctl('status', 'worker:*');
    expect(status.stdout).toMatch(/^worker:worker@1\s+STOPPED/m);

    expect((await ctl('start', 'worker:worker@1')).stdout).toBe('worker:worker@1: started\n');
    expect((await ctl('start', 'worker:*')).stdout.split('\n').filter(Boolean).sort()).toEqual(['worker:worker@0: started', 'worker:worker@2: started']);
    const [first, second, third] = await pidsOf(3);

    // supervisorctl update after instances = 2: it stops and removes what reloadConfig reports.
    writeWorkers(2);
    const update = await ctl('update');
    expect(update.code, update.stdout + update.stderr).toBe(0);
    expect(update.stdout).toContain('worker@2: stopped');
    expect(update.stdout).toContain('worker@2: removed process group');
    await waitFor('worker@2 to stop', () => !isLive(third!));
    expect(isLive(first!) && isLive(second!)).toBe(true);
    expect((await h.api().programs()).map((p) => p.name).filter((name) => name.startsWith('worker'))).toEqual(['worker@0', 'worker@1']);
  });

  it('checkconfig refuses a pidfile that does not vary with the instance (file:line, 130)', async () => {
    h = new DaemonHarness();
    writeWorkers(2);
    const file = path.join(h.confDir, 'worker.cfg');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('worker-%(instance)02d.pid', 'worker.pid'));
    const run = await h.runCli(['checkconfig']);
    expect(run.code).toBe(ReturnCodes.INVALID_CONFIG);
    expect(run.stderr).toContain(`${file}:4`);
    expect(run.stderr).toContain('is the same for every instance (instances = 2)');
  });
});

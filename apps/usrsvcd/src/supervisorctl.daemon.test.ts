import fs from 'node:fs';
import { apiSocketPath } from '@usrsvc/api';
import { waitFor } from '@usrsvc/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { DaemonHarness, isLive } from './test-support/daemonHarness.js';
import { python, streamingClient, supervisorctl } from './test-support/supervisorClients.js';

// Debian's supervisorctl and python3's xmlrpc.client against usrsvcd's API socket; no supervisord runs.
const FAST = { USRSVCD_SCAN_INTERVAL_MS: '500' };
let h: DaemonHarness;
afterEach(async () => {
  await h.cleanup();
});

/** A program that writes a line to stdout and stderr every 0.2 s. */
function ticker(name: string, extra: Record<string, string | number> = {}): string {
  const command = h.script(name, `while true; do echo "${name} out $$"; echo "${name} err" >&2; sleep 0.2; done`);
  return h.writeProgram(name, command, { stderr: h.home.path(`${name}.err`), ...extra });
}

async function started(names: string[]) {
  await h.startDaemonAndWait(FAST);
  const url = `unix://${apiSocketPath(h.stateDir)}`;
  const ctl = (...args: string[]) => supervisorctl(url, args, h.env());
  await waitFor('every program RUNNING in supervisorctl status', async () => {
    const { stdout } = await ctl('status');
    return names.every((name) => new RegExp(`^${name}\\s+RUNNING\\s+pid \\d+, uptime \\d+:\\d\\d:\\d\\d$`, 'm').test(stdout));
  });
  return { url, ctl };
}

describe('supervisorctl against usrsvcd (supervisor XML-RPC on the API socket)', () => {
  it('status, stop, start, restart, restart all, pid, version and avail, with supervisorctl exit codes', async () => {
    h = new DaemonHarness();
    const webPidfile = ticker('web');
    ticker('worker');
    const { ctl } = await started(['web', 'worker']);
    const webPid = await h.servicePid(webPidfile);

    expect(await ctl('status')).toMatchObject({ code: 0 });
    expect(await ctl('version')).toMatchObject({ code: 0, stdout: expect.stringMatching(/^\d+\.\d+\.\d+/) });
    expect(await ctl('pid', 'web')).toMatchObject({ code: 0, stdout: `${webPid}\n` });
    const daemonPid = Number(fs.readFileSync(h.pidfile, 'utf8').trim());
    expect(await ctl('pid')).toMatchObject({ code: 0, stdout: `${daemonPid}\n` });
    expect((await ctl('avail')).stdout).toMatch(/^web\s+in use\s+auto\s+999:999$/m);

    // supervisorctl's exit codes: status 3 when one named is stopped, 4 for an unknown name.
    expect(await ctl('stop', 'web')).toMatchObject({ code: 0, stdout: 'web: stopped\n' });
    expect(isLive(webPid)).toBe(false);
    const stopped = await ctl('status', 'web');
    expect(stopped.code).toBe(3);
    expect(stopped.stdout).toMatch(/^web\s+STOPPED\s+\w{3} \d\d \d\d:\d\d [AP]M$/m);
    // supervisorctl ignores NOT_RUNNING on stop (exit 0), as against supervisord.
    expect(await ctl('stop', 'web')).toMatchObject({ code: 0, stdout: 'web: ERROR (not running)\n' });
    expect(await ctl('pid', 'web')).toMatchObject({ code: 7, stdout: '0\n' });
    expect(await ctl('status', 'nope')).toMatchObject({ code: 4, stdout: expect.stringContaining('nope: ERROR (no such process)') });
    expect(await ctl('start', 'nope')).toMatchObject({ code: 1, stdout: 'nope: ERROR (no such process)\n' });
    // usrsvcd keeps a user-stopped program stopped (as `usrsvc stop`): it does not come back.
    expect((await h.api().program('web')).state.state).toBe('stopped-by-user');

    expect(await ctl('start', 'web')).toMatchObject({ code: 0, stdout: 'web: started\n' });
    expect(await ctl('start', 'web')).toMatchObject({ code: 0, stdout: 'web: ERROR (already started)\n' });
    const restarted = await h.servicePid(webPidfile, webPid);
    expect(await ctl('restart', 'web')).toMatchObject({ code: 0, stdout: 'web: stopped\nweb: started\n' });
    await h.servicePid(webPidfile, restarted);
    const all = await ctl('restart', 'all');
    expect(all.code).toBe(0);
    expect(all.stdout.split('\n').sort().join('\n')).toBe(['', 'web: started', 'web: stopped', 'worker: started', 'worker: stopped'].join('\n'));
    expect(await ctl('status')).toMatchObject({ code: 0 });
  });

  it('tail, tail -f, maintail, maintail -f and signal', async () => {
    h = new DaemonHarness();
    const pidfile = ticker('web');
    const { url, ctl } = await started(['web']);
    const pid = await h.servicePid(pidfile);
    await waitFor('some output', () => fs.existsSync(h.home.path('web.err')) && fs.statSync(h.home.path('web.out')).size > 100);

    const tail = await ctl('tail', 'web');
    expect(tail.code).toBe(0);
    expect(tail.stdout).toContain(`web out ${pid}`);
    expect((await ctl('tail', '-30', 'web', 'stderr')).stdout.length).toBeLessThanOrEqual(31);
    expect((await ctl('tail', 'web', 'stderr')).stdout).toContain('web err');
    expect(await ctl('tail', 'nope')).toMatchObject({ code: 1, stdout: 'nope: ERROR (no such process name)\n' });
    expect((await ctl('maintail')).stdout).toContain('usrsvcd started as pid');

    const follow = streamingClient('supervisorctl', ['-s', url, 'tail', '-f', 'web'], h.env());
    const mainFollow = streamingClient('supervisorctl', ['-s', url, 'maintail', '-f'], h.env());
    try {
      fs.appendFileSync(h.home.path('web.out'), 'a line written while following\n');
      await waitFor('tail -f to show the new line', () => follow.output().includes('a line written while following'));
      await waitFor('maintail -f to show the head of the log', () => mainFollow.output().includes('usrsvcd'));

      // signal: supervisorctl → signalProcess → the main process, re-checked by pid and start time.
      expect(await ctl('signal', 'USR1', 'web')).toMatchObject({ code: 0, stdout: 'web: signalled\n' });
      expect(await ctl('signal', 'BOGUS', 'web')).toMatchObject({ code: 1, stdout: 'web: ERROR (bad signal name)\n' });
      expect(await ctl('signal', 'TERM', 'nope')).toMatchObject({ code: 1, stdout: 'nope: ERROR (no such process)\n' });
      await waitFor('the signalled sh to die (USR1 ends it)', () => !isLive(pid));
      await waitFor('maintail -f to report the crash', () => /\(web\) - has stopped running/.test(mainFollow.output()));
    } finally {
      follow.stop();
      mainFollow.stop();
    }
    await h.servicePid(pidfile, pid);
  });

  it('reread reports [[added, changed, removed]] without applying; update applies them as supervisord does', async () => {
    h = new DaemonHarness();
    ticker('keep');
    const gonePidfile = ticker('gone');
    ticker('edit');
    const { ctl } = await started(['keep', 'gone', 'edit']);
    const gonePid = await h.servicePid(gonePidfile);
    const newPidfile = ticker('fresh');
    h.removeProgram('gone');
    fs.appendFileSync(`${h.confDir}/edit.cfg`, 'restart_delay = 1\n');
    expect(await ctl('reread')).toMatchObject({ code: 0, stdout: 'edit: changed\nfresh: available\ngone: disappeared\n' });
    expect((await ctl('avail')).stdout).toMatch(/^fresh\s+avail\s+auto/m);
    expect((await h.api().programs()).map((p) => p.name).sort()).toEqual(['edit', 'gone', 'keep']);

    const update = await ctl('update');
    expect(update).toMatchObject({ code: 0 });
    expect(update.stdout).toBe('gone: stopped\ngone: removed process group\nedit: stopped\nedit: updated process group\nfresh: added process group\n');
    expect(isLive(gonePid)).toBe(false);
    await h.servicePid(newPidfile);
    await waitFor('fresh and edit RUNNING', async () => /^edit\s+RUNNING[\s\S]*^fresh\s+RUNNING/m.test((await ctl('status')).stdout));
    expect((await ctl('status')).stdout).not.toContain('gone');
    expect(await ctl('update')).toMatchObject({ code: 0, stdout: '' });

    fs.writeFileSync(`${h.confDir}/broken.cfg`, '[Program:broken]\ncommand = x\n');
    const broken = await ctl('reread');
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/^ERROR: CANT_REREAD: .*broken\.cfg/);
  });

  it("answers Python's xmlrpc.client: multicall, faults for unknown methods, wrong types, bad XML and huge bodies; shutdown stops usrsvcd only", async () => {
    h = new DaemonHarness();
    const pidfile = ticker('web');
    const { url } = await started(['web']);
    const pid = await h.servicePid(pidfile);
    const answers = await python(
      url,
      `
call(lambda: proxy.supervisor.getAPIVersion())
call(lambda: proxy.supervisor.getProcessInfo('web'))
m = xmlrpc.client.MultiCall(proxy)
m.supervisor.getState(); m.supervisor.getProcessInfo('nope'); m.system.multicall([]); m.supervisor.getPID('extra')
call(lambda: list(m().results))
call(lambda: proxy.supervisor.nope())
call(lambda: getattr(proxy, 'supervisor.__class__')())
call(lambda: getattr(proxy, 'supervisor.getState.__func__')())
call(lambda: proxy.supervisor.getProcessInfo(1))
call(lambda: proxy.supervisor.getProcessInfo())
call(lambda: proxy.supervisor.readProcessStdoutLog('web', -1, 5))
call(lambda: proxy.supervisor.tailProcessStdoutLog('web', 0, 10))
call(lambda: proxy.supervisor.clearProcessLogs('web'))
call(lambda: proxy.system.methodSignature('supervisor.tailProcessStdoutLog'))
call(lambda: 'supervisor.startProcess' in proxy.system.listMethods())
call(lambda: proxy.system.methodHelp('supervisor.restart'))
raw(b'<methodCall><methodName>supervisor.getPID</methodName>')
raw(b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><methodCall><methodName>&a;</methodName></methodCall>')
raw(b'<methodCall><methodName>system.listMethods</methodName></methodCall>' + b' ' * 400000)
raw(b'\\xff\\xfe garbage')
call(lambda: proxy.supervisor.shutdown())
`,
      h.env(),
    );
    const [version, info, multi, unknown, attr, nested, wrongType, missing, badArgs, tail, clear, signature, listed, help, truncated, doctype, huge, garbage, shutdown] = answers;
    expect(version).toEqual({ ok: '3.0' });
    expect(info).toEqual({
      ok: expect.objectContaining({ name: 'web', group: 'web', state: 20, statename: 'RUNNING', pid, exitstatus: 0, spawnerr: '', stdout_logfile: h.home.path('web.out'), description: expect.stringMatching(new RegExp(`^pid ${pid}, uptime 0:00:\\d\\d$`)) }),
    });
    expect(multi).toEqual({
      ok: [
        [{ statecode: 1, statename: 'RUNNING' }],
        { faultCode: 10, faultString: 'BAD_NAME: nope' },
        { faultCode: 2, faultString: 'INCORRECT_PARAMETERS: Recursive system.multicall forbidden' },
        { faultCode: 2, faultString: expect.stringContaining('at most 0 parameters') },
      ],
    });
    for (const fault of [unknown, attr, nested]) expect(fault).toEqual({ fault: [1, expect.stringMatching(/^UNKNOWN_METHOD/)] });
    expect(wrongType).toEqual({ fault: [2, expect.stringContaining('name must be string, not int')] });
    expect(missing).toEqual({ fault: [2, expect.stringContaining('needs name')] });
    expect(badArgs).toEqual({ fault: [3, 'BAD_ARGUMENTS'] });
    expect(tail).toEqual({ ok: [expect.any(String), expect.any(Number), true] });
    expect(clear).toEqual({ fault: [30, expect.stringContaining('does not clear')] });
    expect(signature).toEqual({ ok: ['array', 'string', 'int', 'int'] });
    expect(listed).toEqual({ ok: true });
    expect(help).toEqual({ ok: expect.stringContaining('usrsvcd ONLY') });
    expect(truncated).toEqual({ fault: [2, expect.stringContaining('invalid XML-RPC request')] });
    expect(doctype).toEqual({ fault: [2, expect.stringContaining('DOCTYPE')] });
    expect(huge).toEqual({ fault: [2, expect.stringContaining('larger than')] });
    expect(garbage).toEqual({ fault: [2, expect.stringContaining('invalid XML-RPC request')] });
    expect(shutdown).toEqual({ ok: true });
    await waitFor('usrsvcd to exit', () => !fs.existsSync(h.pidfile));
    expect(isLive(pid)).toBe(true);
  });

  it('supervisor.restart restarts usrsvcd only: a new daemon adopts the program with its PID unchanged', async () => {
    h = new DaemonHarness();
    const pidfile = ticker('web');
    const { url } = await started(['web']);
    const pid = await h.servicePid(pidfile);
    const before = Number(fs.readFileSync(h.pidfile, 'utf8').trim());
    expect(await python(url, 'call(lambda: proxy.supervisor.restart())', h.env())).toEqual([{ ok: true }]);
    const after = await waitFor('a new usrsvcd', () => {
      let now = 0;
      try {
        now = Number(fs.readFileSync(h.pidfile, 'utf8').trim() || 0);
      } catch {
        // between the old daemon's exit and the new one's claim
      }
      return now !== before && now > 0 && isLive(now) ? now : undefined;
    }, { timeoutMs: 20_000 });
    h.reaper.track(after);
    expect(isLive(before)).toBe(false);
    await waitFor('web RUNNING under the new usrsvcd with the same pid', async () => {
      const { stdout } = await supervisorctl(url, ['pid', 'web'], h.env());
      return stdout === `${pid}\n`;
    }, { timeoutMs: 20_000 });
    expect(isLive(pid)).toBe(true);
  });
});

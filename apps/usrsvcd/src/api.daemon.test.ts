import fs from 'node:fs';
import http from 'node:http';
import { ApiError, apiSocketPath, type EventEnvelope } from '@usrsvc/api';
import { waitFor } from '@usrsvc/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { DaemonHarness } from './test-support/daemonHarness.js';

const FAST = { USRSVCD_SCAN_INTERVAL_MS: '500' };
let h: DaemonHarness;
afterEach(async () => {
  await h.cleanup();
});

/** A raw request, for what the typed client never sends. */
function raw(socket: string, options: http.RequestOptions, body?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request({ socketPath: socket, ...options }, (response) => {
      let text = '';
      response.on('data', (c: Buffer) => {
        text += c.toString();
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
    });
    request.on('error', reject);
    request.end(body);
  });
}

async function collect(iterator: AsyncGenerator<EventEnvelope>, until: (events: EventEnvelope[]) => boolean): Promise<EventEnvelope[]> {
  // next() rather than for-await: leaving a for-await loop would end the stream for the next call.
  const events: EventEnvelope[] = [];
  while (!until(events)) {
    const next = await iterator.next();
    if (next.done) throw new Error(`the event stream ended after ${events.length} events`);
    events.push(next.value);
  }
  return events;
}

describe("usrsvcd's local API", () => {
  it('serves the daemon, the programs and their state on a 0600 socket in the 0700 state folder, never the environment', async () => {
    h = new DaemonHarness();
    const pidfile = h.writeProgram('web', h.uniqueSleep());
    fs.appendFileSync(`${h.confDir}/web.cfg`, '[[Env]]\nAPI_SECRET = hunter2-do-not-leak\n');
    h.writeProgram('off', h.uniqueSleep(), { enabled: 'False' });
    const daemon = await h.startDaemonAndWait(FAST);
    const pid = await h.servicePid(pidfile);
    const socket = apiSocketPath(h.stateDir);
    expect(fs.statSync(h.stateDir).mode & 0o777).toBe(0o700);
    await waitFor('the API socket', () => fs.existsSync(socket));
    expect(fs.statSync(socket).mode & 0o777).toBe(0o600);

    const api = h.api();
    const about = await api.daemon();
    expect(about).toMatchObject({ pid: daemon.pid, socket, lastReread: null });
    expect(about.configFiles.some((f) => f.endsWith('web.cfg'))).toBe(true);
    const web = await waitFor('web running in the API', async () => {
      const view = await api.program('web');
      return view.state.state === 'running' ? view : undefined;
    });
    expect(web.state).toMatchObject({ state: 'running', pid });
    expect(web.process).toMatchObject({ pid, foundBy: expect.any(String) });
    expect(web.process!.rssKb).toBeGreaterThan(0);
    expect((await api.program('off')).state).toEqual({ state: 'not-managed', why: 'disabled' });

    const all = await raw(socket, { path: '/v1/programs' });
    expect(all.status).toBe(200);
    expect(all.body).not.toContain('hunter2');
    expect(all.body).not.toContain('API_SECRET');
    await expect(api.program('nope')).rejects.toMatchObject({ status: 404, code: 'no-such-program' });
    await expect(api.act('nope', 'start')).rejects.toBeInstanceOf(ApiError);
    expect((await raw(socket, { path: '/v1/programs/web/start', method: 'POST', headers: { 'content-type': 'text/plain' } }, 'rm -rf /')).status).toBe(413);
    expect((await raw(socket, { path: '/v1/programs', method: 'DELETE' })).status).toBe(405);
    expect((await raw(socket, { path: '/v1/programs', headers: { 'x-big': 'x'.repeat(20_000) } })).status).toBe(431);
  });

  it('acts through the launcher like the CLI: stop marks the program, start clears it, with the same codes', async () => {
    h = new DaemonHarness();
    const pidfile = h.writeProgram('web', h.uniqueSleep());
    h.writeProgram('off', h.uniqueSleep(), { enabled: 'False' });
    await h.startDaemonAndWait(FAST);
    const pid = await h.servicePid(pidfile);
    const api = h.api();

    const stopped = await api.act('web', 'stop');
    expect(stopped).toMatchObject({ code: 0, results: [{ name: 'web', action: 'stop', code: 0, codeName: 'SUCCESS' }] });
    await waitFor('web stopped by user', async () => (await api.program('web')).state.state === 'stopped-by-user');
    expect(fs.existsSync(`${h.stateDir}/stopped/web`)).toBe(true);

    expect((await api.act('off', 'start')).code).toBe(132);
    const started = await api.act('web', 'start');
    expect(started.code).toBe(0);
    const newPid = started.results[0]!.pid!;
    h.reaper.track(newPid);
    expect(newPid).not.toBe(pid);
    await waitFor('web running again', async () => (await api.program('web')).state.state === 'running');

    const restarted = await api.act('web', 'restart');
    expect(restarted.code).toBe(0);
    h.reaper.track(restarted.results[0]!.pid ?? undefined);
    expect((await api.program('web')).restartCounts.manual).toBe(1);
    const all = await api.act('all', 'stop');
    expect(all.results.map((r) => r.name).sort()).toEqual(['off', 'web']);
  });

  it('reports the last exit with its exit code, and POST /v1/reread with its errors', async () => {
    h = new DaemonHarness();
    h.writeProgram('flaky', h.script('flaky', 'sleep 0.6\nexit 3'), { maxrestarts: 1 });
    await h.startDaemonAndWait(FAST);
    const api = h.api();
    const view = await waitFor('flaky gave up', async () => {
      const v = await api.program('flaky');
      return v.state.state === 'gave-up' ? v : undefined;
    }, { timeoutMs: 20_000 });
    expect(view.state).toMatchObject({ afterRestarts: 1 });
    expect(view.lastExit).toMatchObject({ cause: { by: 'crash' }, signal: null });
    // Read from the zombie before init reaps it; null only if it was reaped first.
    expect([3, null]).toContain(view.lastExit!.exitCode);

    fs.writeFileSync(`${h.confDir}/broken.cfg`, '[Program:broken]\ncommand = sleep 1\nmaxrestart = 3\n');
    const outcome = await api.reread();
    expect(outcome.ok).toBe(false);
    expect(outcome.errors.length).toBeGreaterThan(0);
    expect(outcome.errors[0]).toMatchObject({ file: expect.stringContaining('broken.cfg'), line: expect.any(Number) });
    expect((await api.daemon()).lastReread).toMatchObject({ ok: false });
  });

  it('streams one event per state change with increasing ids, and resumes after Last-Event-ID', async () => {
    h = new DaemonHarness();
    const pidfile = h.writeProgram('web', h.uniqueSleep());
    await h.startDaemonAndWait(FAST);
    const pid = await h.servicePid(pidfile);
    const api = h.api();
    await waitFor('web running', async () => (await api.program('web')).state.state === 'running');

    const aborter = new AbortController();
    const stream = api.events({ signal: aborter.signal });
    const snapshot = await collect(stream, (events) => events.some((e) => e.event.type === 'program'));
    expect(snapshot[0]!.event.type).toBe('daemon');
    const snapshotId = snapshot[0]!.id;

    process.kill(pid, 'SIGKILL');
    const changes = await collect(stream, (events) =>
      events.some((e) => e.event.type === 'program' && e.event.program.state.state === 'running' && e.event.program.state.pid !== pid),
    );
    aborter.abort();
    const ids = changes.map((e) => e.id);
    expect(ids[0]).toBeGreaterThan(snapshotId);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    const states = changes.flatMap((e) => (e.event.type === 'program' ? [e.event.program.state.state] : []));
    expect(states).toContain('starting');
    h.reaper.track(await h.servicePid(pidfile, pid));

    const resumed = api.events({ lastEventId: ids[0]! });
    const replay = await collect(resumed, (events) => events.length >= ids.length - 1);
    expect(replay.map((e) => e.id)).toEqual(ids.slice(1));
    await resumed.return(undefined);
  });

  it('a daemon killed with SIGKILL leaves a stale socket that the next daemon replaces', async () => {
    h = new DaemonHarness();
    const pidfile = h.writeProgram('web', h.uniqueSleep());
    const first = await h.startDaemonAndWait(FAST);
    const pid = await h.servicePid(pidfile);
    first.kill('SIGKILL');
    await waitFor('the first daemon gone', () => first.exitCode !== null || first.signalCode !== null);
    expect(fs.existsSync(apiSocketPath(h.stateDir))).toBe(true);
    const second = await h.startDaemonAndWait(FAST);
    const about = await waitFor('the new daemon answering', () => h.api().daemon().catch(() => undefined));
    expect(about.pid).toBe(second.pid);
    const web = await waitFor('web adopted', async () => {
      const view = await h.api().program('web');
      return view.state.state === 'running' ? view : undefined;
    });
    expect(web.state).toMatchObject({ pid });
    expect(web.leftovers).toEqual([]);
  });
});

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ProcessInfo, runMonitorCheck } from '@usrsvc/monitors';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHttpMonitor } from './httpMonitor.js';
import { parseExpectStatus } from './expectStatus.js';

/** What the monitor sees of the program: its identity is all the HTTP monitor uses. */
const processOf = (pid: number, startTicks = 1000) => ({ pid, startTicks }) as ProcessInfo;
const program = processOf(process.pid);

interface TestServer {
  url: string;
  /** What the next requests get: a status, or 'hang' (never answer). */
  answer: number | 'hang';
  requests: number;
  close(): Promise<void>;
}

async function startServer(): Promise<TestServer> {
  const state = { answer: 200 as number | 'hang', requests: 0 };
  const server = http.createServer((_request, response) => {
    state.requests += 1;
    if (state.answer === 'hang') return; // never answers
    response.writeHead(state.answer, state.answer === 301 ? { location: '/elsewhere' } : {});
    response.end(`status ${state.answer}\n`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}/health`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

const expect2xx = parseExpectStatus('2xx') as (status: number) => boolean;
let server: TestServer;
beforeEach(async () => {
  server = await startServer();
});
afterEach(() => server.close());

const monitorFor = (options: { failures?: number; timeoutMs?: number; expect?: string; url?: string } = {}) =>
  createHttpMonitor({
    url: options.url ?? server.url,
    timeoutMs: options.timeoutMs ?? 2000,
    expect: options.expect ? (parseExpectStatus(options.expect) as (status: number) => boolean) : expect2xx,
    failures: options.failures ?? 3,
  });
const check = (monitor: ReturnType<typeof createHttpMonitor>, timeoutMs = 5000, process = program) =>
  runMonitorCheck(monitor, { process }, timeoutMs);

describe('http monitor', () => {
  it('restarts after http_failures consecutive failing answers, then counts afresh', async () => {
    const monitor = monitorFor({ failures: 3 });
    expect(await check(monitor)).toMatchObject({ kind: 'ok', monitor: 'http' });
    server.answer = 500;
    expect((await check(monitor)).kind).toBe('ok');
    expect((await check(monitor)).kind).toBe('ok');
    const third = await check(monitor);
    expect(third.kind).toBe('restart');
    expect(third.kind === 'restart' && third.reason).toBe(`${server.url} failed 3 times in a row (http_failures = 3); last: status 500`);
    expect((await check(monitor)).kind).toBe('ok'); // the count starts again after a restart verdict
    expect(server.requests).toBe(5);
  });

  it('a success resets the count', async () => {
    const monitor = monitorFor({ failures: 2 });
    server.answer = 503;
    expect((await check(monitor)).kind).toBe('ok');
    server.answer = 204;
    expect((await check(monitor)).kind).toBe('ok');
    server.answer = 503;
    expect((await check(monitor)).kind).toBe('ok');
    expect((await check(monitor)).kind).toBe('restart');
  });

  it('checks the status against http_expect_status and does not follow redirects', async () => {
    server.answer = 204;
    expect((await check(monitorFor({ failures: 1, expect: '200' }))).kind).toBe('restart');
    expect((await check(monitorFor({ failures: 1 }))).kind).toBe('ok');
    server.answer = 301;
    expect((await check(monitorFor({ failures: 1 }))).kind).toBe('restart');
    expect((await check(monitorFor({ failures: 1, expect: '2xx, 301' }))).kind).toBe('ok');
  });

  it('counts a server that never answers within http_timeout as a failure', async () => {
    server.answer = 'hang';
    const monitor = monitorFor({ failures: 2, timeoutMs: 300 });
    expect((await check(monitor)).kind).toBe('ok');
    const second = await check(monitor);
    expect(second.kind).toBe('restart');
    expect(second.kind === 'restart' && second.reason).toMatch(/failed 2 times in a row .*last: no answer within 0\.3 s$/);
  });

  it('counts checks cut short by monitor_timeout, and restarts at the next check', async () => {
    server.answer = 'hang';
    const monitor = monitorFor({ failures: 2, timeoutMs: 60_000 });
    expect((await check(monitor, 200)).kind).toBe('timeout');
    expect((await check(monitor, 200)).kind).toBe('timeout');
    const requests = server.requests;
    const third = await check(monitor, 200);
    expect(third.kind).toBe('restart');
    expect(third.kind === 'restart' && third.reason).toMatch(/last: no answer before the check was aborted/);
    expect(server.requests).toBe(requests); // answered at once, without a request
  });

  it('counts a refused connection as a failure', async () => {
    const { url } = server;
    await server.close();
    const outcome = await check(monitorFor({ failures: 1, url }));
    expect(outcome.kind).toBe('restart');
    expect(outcome.kind === 'restart' && outcome.reason).toMatch(/last: request failed: ECONNREFUSED/);
  });

  it('starts counting afresh for a new process of the program', async () => {
    const monitor = monitorFor({ failures: 2 });
    server.answer = 500;
    expect((await check(monitor, 5000, processOf(4242))).kind).toBe('ok');
    expect((await check(monitor, 5000, processOf(4343))).kind).toBe('ok');
    expect((await check(monitor, 5000, processOf(4343))).kind).toBe('restart');
  });
});

describe('parseExpectStatus', () => {
  it('accepts codes and classes and rejects the rest', () => {
    const ok = parseExpectStatus('200, 3xx') as (status: number) => boolean;
    expect([200, 201, 301, 399, 404].map(ok)).toEqual([true, false, true, true, false]);
    expect(parseExpectStatus(['204', '2xx'])).toBeTypeOf('function');
    expect(parseExpectStatus('')).toMatch(/must list/);
    expect(parseExpectStatus('200,abc')).toMatch(/"abc" is not a status code/);
    expect(parseExpectStatus('600')).toMatch(/not a status code/);
  });
});

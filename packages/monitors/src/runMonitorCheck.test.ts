import { readProcess } from '@usrsvc/procscan';
import { describe, expect, it } from 'vitest';
import type { Monitor } from './MonitorPlugin.js';
import { MonitorTimeoutError, runMonitorCheck } from './runMonitorCheck.js';
import { runMonitorChecks } from './runMonitorChecks.js';

const self = readProcess(process.pid)!;
const monitor = (check: Monitor['check'], name = 'test'): Monitor => ({ name, check });

describe('runMonitorCheck', () => {
  it('answers ok and restart from sync and async checks', async () => {
    expect(await runMonitorCheck(monitor(() => ({ restart: false })), { process: self }, 1000)).toMatchObject({ kind: 'ok', monitor: 'test' });
    const outcome = await runMonitorCheck(monitor(async () => ({ restart: true, reason: 'too big' })), { process: self }, 1000);
    expect(outcome).toMatchObject({ kind: 'restart', reason: 'too big' });
  });

  it('passes the process, the time and a live signal to the check', async () => {
    let seen: { pid: number; now: number; aborted: boolean } | undefined;
    await runMonitorCheck(
      monitor(({ process, now, signal }) => {
        seen = { pid: process.pid, now, aborted: signal.aborted };
        return { restart: false };
      }),
      { process: self, now: 12345 },
      1000,
    );
    expect(seen).toEqual({ pid: process.pid, now: 12345, aborted: false });
  });

  it('turns a throw, a rejection and a malformed answer into error outcomes', async () => {
    const thrown = await runMonitorCheck(monitor(() => { throw new Error('boom'); }), { process: self }, 1000);
    expect(thrown).toMatchObject({ kind: 'error', monitor: 'test' });
    expect(thrown.kind === 'error' && thrown.error.message).toBe('boom');

    const rejected = await runMonitorCheck(monitor(() => Promise.reject('just a string')), { process: self }, 1000);
    expect(rejected.kind === 'error' && rejected.error.message).toMatch(/just a string/);

    const malformed = await runMonitorCheck(monitor(() => ({ restart: 'yes' }) as never), { process: self }, 1000);
    expect(malformed.kind === 'error' && malformed.error).toBeInstanceOf(TypeError);
  });

  it('gives a restart without a reason a default reason', async () => {
    const outcome = await runMonitorCheck(monitor(() => ({ restart: true }) as never, 'lazy'), { process: self }, 1000);
    expect(outcome).toMatchObject({ kind: 'restart', reason: 'monitor lazy asked for a restart' });
  });

  it('resolves timeout and aborts the signal when a check ignores it and never answers', async () => {
    let signal: AbortSignal | undefined;
    const outcome = await runMonitorCheck(
      monitor(({ signal: s }) => {
        signal = s;
        return new Promise(() => {});
      }, 'hung'),
      { process: self },
      200,
    );
    expect(outcome).toMatchObject({ kind: 'timeout', monitor: 'hung', timeoutMs: 200 });
    expect(signal?.aborted).toBe(true);
    expect(signal?.reason).toBeInstanceOf(MonitorTimeoutError);
  });

  it('ignores a late answer and a late rejection after the timeout', async () => {
    const late = await runMonitorCheck(
      monitor(() => new Promise((_resolve, reject) => setTimeout(() => reject(new Error('late')), 300))),
      { process: self },
      50,
    );
    expect(late.kind).toBe('timeout');
    await new Promise((resolve) => setTimeout(resolve, 400)); // an unhandled rejection would fail the run
  });

  it('resolves timeout at once when the caller aborts', async () => {
    const controller = new AbortController();
    const pending = runMonitorCheck(monitor(() => new Promise(() => {})), { process: self, signal: controller.signal }, 60_000);
    controller.abort();
    expect((await pending).kind).toBe('timeout');
  });
});

describe('runMonitorChecks', () => {
  it('runs monitors side by side: a hung check does not delay the others', async () => {
    const started = Date.now();
    const outcomes = await runMonitorChecks(
      [monitor(() => new Promise(() => {}), 'hung'), monitor(() => ({ restart: true, reason: 'r' }), 'fast')],
      { process: self },
      1000,
    );
    expect(outcomes.map((o) => o.kind)).toEqual(['timeout', 'restart']);
    expect(outcomes[1]!.durationMs).toBeLessThan(900);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

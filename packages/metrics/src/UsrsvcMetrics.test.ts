import { runPromtool } from '@usrsvc/testkit';
import { describe, expect, it } from 'vitest';
import { everyState, daemonView, programView } from './test-support/views.js';
import { UsrsvcMetrics, renderMetrics } from './UsrsvcMetrics.js';

/** Parses the exposition text into "name{labels}" -> value. */
function samples(text: string): Map<string, number> {
  const map = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    map.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return map;
}

const alerts = { mail: { sent: 2, failed: 1 }, webhook: { sent: 5, failed: 0 }, alertmanager: { sent: 0, failed: 0 } };

describe('UsrsvcMetrics', () => {
  it('renders text that promtool check metrics accepts, without a single lint complaint', async () => {
    const text = await renderMetrics({ daemon: daemonView(), programs: everyState(), alerts });
    const result = await runPromtool(['check', 'metrics'], text);
    expect(result.stderr + result.stdout).toBe('');
    expect(result.code).toBe(0);
  });

  it('exposes exactly the documented metric names, labelled by program and user, never pid', async () => {
    const text = await renderMetrics({ daemon: daemonView(), programs: everyState(), alerts });
    const families = [...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((match) => `${match[1]} ${match[2]}`);
    expect(families.sort()).toEqual(
      [
        'usrsvc_alerts_failed_total counter',
        'usrsvc_alerts_sent_total counter',
        'usrsvc_build_info gauge',
        'usrsvc_daemon_start_time_seconds gauge',
        'usrsvc_monitor_check_duration_seconds gauge',
        'usrsvc_monitor_check_success gauge',
        'usrsvc_program_resident_memory_bytes gauge',
        'usrsvc_program_restarts_total counter',
        'usrsvc_program_start_time_seconds gauge',
        'usrsvc_program_state gauge',
        'usrsvc_program_up gauge',
        'usrsvc_program_ready gauge',
      ].sort(),
    );
    expect(text).not.toMatch(/pid=/);
    const values = samples(text);
    expect(values.get('usrsvc_program_up{program="web",user="web"}')).toBe(1);
    expect(values.get('usrsvc_program_ready{program="web",user="web"}')).toBe(1);
    expect(values.get('usrsvc_program_restarts_total{program="web",user="web",reason="crash"}')).toBe(3);
    expect(values.get('usrsvc_program_restarts_total{program="web",user="web",reason="monitor"}')).toBe(1);
    expect(values.get('usrsvc_program_restarts_total{program="web",user="web",reason="manual"}')).toBe(2);
    expect(values.get('usrsvc_program_restarts_total{program="web",user="web",reason="change"}')).toBe(4);
    expect(values.get('usrsvc_program_start_time_seconds{program="web",user="web"}')).toBe(Date.parse('2026-11-29T08:00:01.500Z') / 1000);
    expect(values.get('usrsvc_program_resident_memory_bytes{program="web",user="web"}')).toBe(2048 * 1024);
    expect(values.has('usrsvc_program_start_time_seconds{program="broken",user="web"}')).toBe(false);
    expect(values.get('usrsvc_daemon_start_time_seconds{user="web"}')).toBe(Date.parse('2026-11-29T08:00:00.000Z') / 1000);
    expect(values.get('usrsvc_build_info{user="web",version="0.1.0",exit_watch="pidfd"}')).toBe(1);
    expect(values.get('usrsvc_alerts_sent_total{user="web",transport="webhook"}')).toBe(5);
    expect(values.get('usrsvc_alerts_failed_total{user="web",transport="mail"}')).toBe(1);
  });

  it('has one usrsvc_program_state series per state name, 1 for the current one', async () => {
    const values = samples(await renderMetrics({ daemon: daemonView(), programs: everyState() }));
    const current = (program: string) =>
      [...values].filter(([key, value]) => key.startsWith(`usrsvc_program_state{program="${program}",`) && value === 1).map(([key]) => /state="([^"]+)"/.exec(key)?.[1]);
    const states = ['running', 'starting', 'backoff', 'gave_up', 'stopped_by_user', 'not_running', 'disabled'];
    for (const program of ['web', 'broken', 'old']) {
      const series = [...values.keys()].filter((key) => key.startsWith(`usrsvc_program_state{program="${program}",`));
      expect(series.map((key) => /state="([^"]+)"/.exec(key)?.[1]).sort()).toEqual([...states].sort());
    }
    expect(
      Object.fromEntries(['web', 'worker', 'cron', 'flappy', 'broken', 'paused', 'oneshot', 'old', 'manual'].map((p) => [p, current(p)])),
    ).toEqual({
      web: ['running'],
      worker: ['starting'],
      cron: ['starting'],
      flappy: ['backoff'],
      broken: ['gave_up'],
      paused: ['stopped_by_user'],
      oneshot: ['not_running'],
      old: ['disabled'],
      manual: ['not_running'],
    });
    expect(values.get('usrsvc_program_up{program="cron",user="web"}')).toBe(0);
  });

  it('shows each monitor verdict with its duration in seconds', async () => {
    const program = programView('web', { state: 'running', pid: 7, since: '2026-11-29T08:00:00.000Z' }, {
      monitors: [
        { monitor: 'http', verdict: 'ok', checkedAt: '2026-11-29T08:01:00.000Z', durationMs: 12 },
        { monitor: 'rss', verdict: 'restart', detail: 'rss over', checkedAt: '2026-11-29T08:01:00.000Z', durationMs: 1 },
        { monitor: 'activityfile', verdict: 'timeout', checkedAt: '2026-11-29T08:01:00.000Z', durationMs: 3000 },
      ],
    });
    const values = samples(await renderMetrics({ daemon: daemonView(), programs: [program] }));
    expect(values.get('usrsvc_monitor_check_success{program="web",user="web",monitor="http"}')).toBe(1);
    expect(values.get('usrsvc_monitor_check_success{program="web",user="web",monitor="rss"}')).toBe(0);
    expect(values.get('usrsvc_monitor_check_success{program="web",user="web",monitor="activityfile"}')).toBe(0);
    expect(values.get('usrsvc_monitor_check_duration_seconds{program="web",user="web",monitor="http"}')).toBe(0.012);
    expect(values.get('usrsvc_monitor_check_duration_seconds{program="web",user="web",monitor="activityfile"}')).toBe(3);
  });

  it('keeps counters monotonic across updates and drops the series of removed programs', async () => {
    const metrics = new UsrsvcMetrics();
    const since = '2026-11-29T08:00:00.000Z';
    const web = (crash: number) => programView('web', { state: 'running', pid: 7, since }, { restartCounts: { crash, monitor: 0, watchdog: 0, manual: 0, change: 0 } });
    const key = 'usrsvc_program_restarts_total{program="web",user="web",reason="crash"}';
    metrics.update({ daemon: daemonView(), programs: [web(2), programView('db', { state: 'running', pid: 8, since })], alerts });
    expect(samples(await metrics.render()).get(key)).toBe(2);
    metrics.update({ daemon: daemonView(), programs: [web(5)], alerts });
    const after = samples(await metrics.render());
    expect(after.get(key)).toBe(5);
    expect([...after.keys()].some((name) => name.includes('program="db"'))).toBe(false);
    // The daemon's count started again (program removed and added back): the counter still only grows.
    metrics.update({ daemon: daemonView(), programs: [web(1)], alerts: { mail: { sent: 1, failed: 0 } } });
    const again = samples(await metrics.render());
    expect(again.get(key)).toBe(6);
    expect(again.get('usrsvc_alerts_sent_total{user="web",transport="mail"}')).toBe(3);
  });

  it('follows a program through changes: its process series go when it stops, a monitor\'s when it is gone', async () => {
    const metrics = new UsrsvcMetrics();
    const since = '2026-11-29T08:00:00.000Z';
    const running = programView('web', { state: 'running', pid: 7, since }, {
      monitors: [{ monitor: 'http', verdict: 'ok', checkedAt: since, durationMs: 5 }],
    });
    const db = programView('db', { state: 'running', pid: 8, since });
    expect(metrics.update({ daemon: daemonView(), programs: [running, db] })).toBe(true);
    const first = await metrics.render();
    // Nothing changed: no render, the same text.
    expect(metrics.update({ daemon: daemonView(), programs: [running, db] })).toBe(false);
    expect(await metrics.render()).toBe(first);

    metrics.update({ daemon: daemonView(), programs: [programView('web', { state: 'gave-up', afterRestarts: 3, since }), db] });
    const stopped = samples(await metrics.render());
    expect(stopped.get('usrsvc_program_up{program="web",user="web"}')).toBe(0);
    expect(stopped.get('usrsvc_program_state{program="web",user="web",state="gave_up"}')).toBe(1);
    expect(stopped.get('usrsvc_program_state{program="web",user="web",state="running"}')).toBe(0);
    expect(stopped.has('usrsvc_program_start_time_seconds{program="web",user="web"}')).toBe(false);
    expect(stopped.has('usrsvc_program_resident_memory_bytes{program="web",user="web"}')).toBe(false);
    expect(stopped.has('usrsvc_monitor_check_success{program="web",user="web",monitor="http"}')).toBe(false);
    expect(stopped.get('usrsvc_program_up{program="db",user="web"}')).toBe(1);

    metrics.update({ daemon: daemonView({ version: '0.2.0' }), programs: [db] });
    const upgraded = samples(await metrics.render());
    expect([...upgraded.keys()].filter((key) => key.startsWith('usrsvc_build_info'))).toEqual(['usrsvc_build_info{user="web",version="0.2.0",exit_watch="pidfd"}']);
    expect([...upgraded.keys()].some((key) => key.includes('program="web"'))).toBe(false);
    const result = await runPromtool(['check', 'metrics'], await metrics.render());
    expect(result.code).toBe(0);
  });

  it('uses a registry of its own: nothing in the global registry, no default metrics', async () => {
    const { register } = await import('prom-client');
    const text = await renderMetrics({ daemon: daemonView(), programs: everyState() });
    expect(text).not.toMatch(/process_cpu|nodejs_/);
    expect(await register.metrics()).not.toMatch(/usrsvc_/);
  });
});

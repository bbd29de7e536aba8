import type { ProgramView } from '@usrsvc/api';
import { describe, expect, it } from 'vitest';
import { resultFromView } from './daemonView.js';
import { resultsFromViewsJson } from './resultsFromViewsJson.js';

const START = Date.parse('2026-12-07T08:00:00.400Z');
const view = (name: string, over: Partial<ProgramView> = {}): ProgramView => ({
  name,
  enabled: true,
  autoStart: true,
  autoRestart: true,
  maxRestarts: 5,
  state: { state: 'running', pid: 41, since: new Date(START).toISOString() },
  running: true,
  restarts: 0,
  startAttempts: 0,
  restartCounts: { crash: 0, monitor: 0, watchdog: 0, manual: 0, change: 0 },
  process: { pid: 41, cmdline: `python3 -c 'print("a\\nb")' ${name} é`, argv: ['python3', '-c', 'print("a\nb")', name, 'é'], startTime: new Date(START).toISOString(), uptimeSeconds: 0, rssKb: 9000, foundBy: 'launch' },
  lastExit: null,
  monitors: [],
  leftovers: [],
  stdout: `/home/web/logs/${name}.log`,
  stderr: `/home/web/logs/${name}.log`,
  settings: { directory: null, envFiles: [], limits: {}, umask: null, nice: null, autoRestart: 'always', exitCodes: [0], reloadSignal: null, restartOnChange: [], restartOnChangeIgnore: ['**/.git/**'] },
  ...over,
});
const stringified = (views: readonly ProgramView[], now: number) => JSON.stringify(views.map((v) => resultFromView(v, now)), null, 2);

describe('resultsFromViewsJson', () => {
  const views = [
    view('web'),
    view('worker\n"quoted"'),
    view('paused', { state: { state: 'stopped-by-user', since: new Date(START).toISOString() }, running: false, process: null }),
  ];

  it('is JSON.stringify of the results, two-space indented, for running and stopped programs', () => {
    expect(resultsFromViewsJson(views, START + 1_000)).toBe(`${stringified(views, START + 1_000)}\n`);
    expect(resultsFromViewsJson([], START)).toBe('[]\n');
  });

  it('reports the uptime of the moment asked, from the same view objects', () => {
    for (const ms of [1_000, 1_200, 1_099, 1_100, 61_000, 61_000, 1_000]) {
      const json = resultsFromViewsJson(views, START + ms);
      expect(json).toBe(`${stringified(views, START + ms)}\n`);
      const uptime = Math.round(ms / 1000);
      expect((JSON.parse(json) as { uptimeSeconds: number | null }[]).map((result) => result.uptimeSeconds)).toEqual([uptime, uptime, null]);
    }
  });

  it('gives a new view its own text at the same moment, wherever it stands', () => {
    const now = START + 5_000;
    expect(resultsFromViewsJson(views, now)).toBe(`${stringified(views, now)}\n`);
    const restarted = [views[0]!, view('worker\n"quoted"', { restarts: 1, process: { ...views[1]!.process!, pid: 42 } }), views[2]!];
    expect(resultsFromViewsJson(restarted, now)).toBe(`${stringified(restarted, now)}\n`);
    const fewer = [views[0]!, views[2]!];
    expect(resultsFromViewsJson(fewer, now)).toBe(`${stringified(fewer, now)}\n`);
    expect(resultsFromViewsJson(views, now)).toBe(`${stringified(views, now)}\n`);
  });
});

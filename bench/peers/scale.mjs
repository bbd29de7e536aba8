// usrsvc alone at two sizes (the side-by-side size and --scale, 1000 by default), with `sleep`
// services so that memory is no issue: how status, restart, idle CPU, RSS and descriptors grow
// with the number of programs. Targets (issue 24): status <= 2x and restart median <= 1.2x the
// smaller size's figure, idle CPU <= 0.02 % of a core.
import path from 'node:path';
import { usrsvcManager } from './managers/usrsvc.mjs';
import { cell, count, load, mb, ms, pct } from './format.mjs';
import { measureManager } from './measure.mjs';

export const SLEEP = '/usr/bin/sleep';

/** svc0..svc(N-1); each is `/usr/bin/sleep 1000000I` (about 11 days, a distinct title per service). */
export function makeSleepServices(count) {
  return Array.from({ length: count }, (_, i) => {
    const name = `svc${i}`;
    const argv = [SLEEP, String(1_000_000 + i)];
    return { index: i, name, argv, title: argv.join(' ') };
  });
}

/** Measures usrsvc with `sleep` services at each size; resolves with one result per size. */
export async function measureScale(cache, sizes, options) {
  const results = [];
  for (const size of sizes) {
    options.log(`usrsvc alone, ${size} sleep services`);
    const result = await measureManager(usrsvcManager(path.join(cache, 'usrsvc-prefix')), { ...options, restartFloor: true, services: makeSleepServices(size) });
    results.push({ ...result, size });
  }
  return results;
}

/** The scale table: one column per size, then the ratio of the last to the first and the target. */
export function formatScaleTable(results, options) {
  const rows = [
    [`SIGKILL -> running again, median of ${options.restarts} [quartiles]`, 'restartMs', ms, '<= 1.2x'],
    ['the restart floor: the same SIGKILLs, kept by pidfd and the native double fork alone', 'restartFloorMs', ms, ''],
    [`\`status --json\` of all, median of ${options.statusRuns} [quartiles]`, 'statusAllMs', ms, '<= 2x'],
    ['`status` table, median [quartiles]', 'statusTableMs', ms, '<= 2x'],
    ['`status NAME`, median [quartiles]', 'statusOneMs', ms, ''],
    ['load average (1 min) as its status runs began', 'statusLoad', load, ''],
    ['cold start: daemon start -> all running', 'coldStartMs', ms, ''],
    ['the launch floor: `/bin/sh` starting the same, no manager', 'launchFloorMs', ms, ''],
    [`idle CPU over ${options.idleSeconds} s, % of one core (schedstat)`, 'idleSchedPct', pct, '<= 0.020 %'],
    [`idle CPU over ${options.idleSeconds} s, % of one core (utime+stime)`, 'idleCpuPct', pct, ''],
    ['daemon RSS', 'rssKb', mb, ''],
    ['daemon RssAnon (private)', 'rssAnonKb', mb, ''],
    ['daemon open descriptors', 'fds', count, ''],
    ['daemon RLIMIT_NOFILE (soft)', 'nofile', count, ''],
    ['services restarted by a manager restart', 'restartedByManagerRestart', count, '0'],
  ];
  const first = results[0];
  const last = results.at(-1);
  const header = ['figure (usrsvc, sleep services)', ...results.map((r) => `${r.size} programs`), `${last.size}/${first.size}`, 'target'];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
  for (const [title, key, format, target] of rows) {
    const a = first[key];
    const b = last[key];
    const ratio = format !== load && typeof a === 'number' && typeof b === 'number' && a > 0 && !Number.isNaN(b) ? `${(b / a).toFixed(2)}x` : '—';
    lines.push(`| ${[title, ...results.map((r) => cell(r, key, format)), ratio, target].join(' | ')} |`);
  }
  for (const r of results) if (r.error) lines.push(`\n${r.size} programs: error: ${r.error}`);
  return lines.join('\n');
}

// The side-by-side table, as Markdown, with the ratios usrsvc/pm2 and usrsvc/supervisord.

import { cell, count, load, mb, ms, pct } from './format.mjs';

export function formatTable(results, options) {
  const n = options.services;
  const rows = [
    [`SIGKILL -> running again, median of ${options.restarts} [quartiles] (1 ms poll)`, 'restartMs', ms],
    [`\`status\` of all ${n} as JSON, median of ${options.statusRuns} [quartiles]`, 'statusAllMs', ms],
    ['`status` table, median [quartiles]', 'statusTableMs', ms],
    ['`status NAME`, median [quartiles]', 'statusOneMs', ms],
    ['`node -e 0` (the floor), median [quartiles], right after the status runs', 'nodeFloorMs', ms],
    ['load average (1 min) as its status runs began', 'statusLoad', load],
    [`cold start: daemon start -> all ${n} running`, 'coldStartMs', ms],
    [`the launch floor: \`/bin/sh\` starting the same ${n}, no manager, right before`, 'launchFloorMs', ms],
    [`idle CPU over ${options.idleSeconds} s, % of one core (utime+stime)`, 'idleCpuPct', pct],
    [`idle CPU over ${options.idleSeconds} s, % of one core (schedstat, all threads)`, 'idleSchedPct', pct],
    ['daemon RSS', 'rssKb', mb],
    ['daemon RssAnon (private)', 'rssAnonKb', mb],
    ['daemon PSS', 'pssKb', mb],
    ['daemon open descriptors', 'fds', count],
    ['services restarted by a manager restart', 'restartedByManagerRestart', (v) => (v === undefined ? '—' : `${v} / ${n}`)],
  ];
  const byName = Object.fromEntries(results.map((r) => [r.name, r]));
  const usrsvc = byName.usrsvc;
  const peers = ['pm2', 'supervisord'].filter((name) => byName[name] && usrsvc);
  const header = ['figure', ...results.map((r) => r.label), ...peers.map((p) => `usrsvc/${p}`)];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
  for (const [title, key, format] of rows) {
    const cells = results.map((r) => cell(r, key, format));
    const ratios = peers.map((p) => (format === load ? '—' : ratio(usrsvc[key], byName[p][key])));
    lines.push(`| ${[title, ...cells, ...ratios].join(' | ')} |`);
  }
  for (const r of results) if (r.error) lines.push(`\n${r.label}: error: ${r.error}`);
  return lines.join('\n');
}

function ratio(a, b) {
  if (typeof a !== 'number' || typeof b !== 'number' || Number.isNaN(a) || Number.isNaN(b) || b === 0) return '—';
  return `${(a / b).toFixed(2)}x`;
}

import type { Colors } from './colors.js';
import { formatDuration, formatMemory } from './humanize.js';
import type { ResultJson } from './resultJson.js';

export interface StatusRow {
  status: ResultJson;
  enabled: boolean;
}

const HEADERS = ['NAME', 'STATE', 'PID', 'UPTIME', 'MEMORY'] as const;

function stateOf({ status, enabled }: StatusRow): string {
  if (status.running) return 'running';
  if (!enabled) return 'disabled';
  return status.outcome === 'stopped-by-user' ? 'stopped (by user)' : 'stopped';
}

/** `usrsvc status` with no name: one aligned line per program, state coloured on a terminal. */
export function formatStatusTable(rows: readonly StatusRow[], colors: Colors): string {
  const cells = rows.map((row) => [
    row.status.name,
    stateOf(row),
    row.status.running && row.status.pid !== null ? String(row.status.pid) : '-',
    row.status.uptimeSeconds === null ? '-' : formatDuration(row.status.uptimeSeconds),
    row.status.rssKb === null ? '-' : formatMemory(row.status.rssKb),
  ]);
  const widths = HEADERS.map((header, column) =>
    Math.max(header.length, ...cells.map((line) => line[column]!.length)),
  );
  const render = (line: readonly string[], colorState: boolean) =>
    line
      .map((cell, column) => {
        const padded = column === line.length - 1 ? cell : cell.padEnd(widths[column]!);
        if (!colorState || column !== 1) return padded;
        return cell === 'running' ? colors.green(padded) : cell === 'disabled' ? colors.dim(padded) : colors.red(padded);
      })
      .join('  ')
      .trimEnd();
  return [colors.bold(render(HEADERS, false)), ...cells.map((line) => render(line, true))].join('\n');
}

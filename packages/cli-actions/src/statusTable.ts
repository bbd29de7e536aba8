import type { ProgramView } from '@usrsvc/api';
import type { Colors } from './colors.js';
import { describeDaemonState } from './daemonState.js';
import { formatDuration, formatMemory } from '@usrsvc/api/format';
import type { ResultJson } from './resultJson.js';

export interface StatusRow {
  status: ResultJson;
  enabled: boolean;
  /** usrsvcd's view of the program, when usrsvcd runs: STATE then says what it knows, and RESTARTS is shown. */
  daemon?: ProgramView;
}

const HEADERS = ['NAME', 'STATE', 'PID', 'UPTIME', 'MEMORY'] as const;
const WAITING = /^(starting|backoff|restarting)/;

function stateOf({ status, enabled, daemon }: StatusRow): string {
  if (daemon) return describeDaemonState(daemon);
  if (status.running) return 'running';
  if (!enabled) return 'disabled';
  return status.outcome === 'stopped-by-user' ? 'stopped (by user)' : 'stopped';
}

/** `usrsvc status` with no name: one aligned line per program, state coloured on a terminal. */
export function formatStatusTable(rows: readonly StatusRow[], colors: Colors): string {
  const withDaemon = rows.some((row) => row.daemon !== undefined);
  const headers: readonly string[] = withDaemon ? [...HEADERS, 'RESTARTS'] : HEADERS;
  const cells = rows.map((row) => [
    row.status.name,
    stateOf(row),
    row.status.running && row.status.pid !== null ? String(row.status.pid) : '-',
    row.status.uptimeSeconds === null ? '-' : formatDuration(row.status.uptimeSeconds),
    row.status.rssKb === null ? '-' : formatMemory(row.status.rssKb),
    ...(withDaemon ? [row.daemon ? String(row.daemon.restarts) : '-'] : []),
  ]);
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...cells.map((line) => line[column]!.length)),
  );
  const render = (line: readonly string[], colorState: boolean) =>
    line
      .map((cell, column) => {
        const padded = column === line.length - 1 ? cell : cell.padEnd(widths[column]!);
        if (!colorState || column !== 1) return padded;
        if (cell === 'running') return colors.green(padded);
        if (cell === 'disabled') return colors.dim(padded);
        return WAITING.test(cell) ? colors.yellow(padded) : colors.red(padded);
      })
      .join('  ')
      .trimEnd();
  return [colors.bold(render(headers, false)), ...cells.map((line) => render(line, true))].join('\n');
}

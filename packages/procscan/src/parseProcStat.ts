/** The fields of /proc/<pid>/stat that procscan uses. */
export interface ProcStat {
  pid: number;
  name: string;
  state: string;
  ppid: number;
  /** Process group ID (field 5). */
  pgid: number;
  /** Session ID (field 6). */
  sid: number;
  startTicks: number;
  rssPages: number;
}

/**
 * Parses /proc/<pid>/stat. The name (comm) may hold spaces and parentheses, so it runs from the
 * first '(' to the LAST ')'. Returns undefined for malformed text.
 */
export function parseProcStat(text: string): ProcStat | undefined {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  // After ") ": field 3 (state) is index 0, so field N is index N - 3.
  const fields = text.slice(close + 2).split(' ', 22);
  const state = fields[0];
  const ppid = Number(fields[1]);
  const pgid = Number(fields[2]);
  const sid = Number(fields[3]);
  const startTicks = Number(fields[19]);
  const rssPages = Number(fields[21]);
  if (state === undefined || Number.isNaN(ppid) || Number.isNaN(startTicks)) return undefined;
  return {
    pid: Number(text.slice(0, open - 1)),
    name: text.slice(open + 1, close),
    state,
    ppid,
    pgid,
    sid,
    startTicks,
    rssPages: Number.isNaN(rssPages) ? 0 : Math.max(0, rssPages),
  };
}

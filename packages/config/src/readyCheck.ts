import { split } from 'shlex';
import { translatePythonRegex } from './translatePythonRegex.js';

/** What makes a started program "ready" (ready_check), parsed from its text. */
export type ReadyCheck =
  | { kind: 'tcp'; text: string; host: string; port: number }
  | { kind: 'http'; text: string; url: string }
  | { kind: 'exec'; text: string; argv: string[] }
  | { kind: 'log'; text: string; regex: RegExp; source: string }
  | { kind: 'notify'; text: 'notify' };

/** An inclusive range of HTTP statuses (ready_check_status = 200-299,401). */
export interface StatusRange {
  from: number;
  to: number;
}

export const READY_CHECK_FORMS = 'tcp://HOST:PORT, http(s)://HOST:PORT/PATH, exec:COMMAND ARGS, log:REGEX or notify';

/** Parses a ready_check value; throws an Error whose message says what is wrong. */
export function parseReadyCheck(text: string): ReadyCheck {
  const value = text.trim();
  if (value === 'notify') return { kind: 'notify', text: 'notify' };
  if (value.startsWith('exec:')) {
    let argv: string[];
    try {
      argv = split(value.slice(5));
    } catch (error) {
      throw new Error(`cannot split the command: ${(error as Error).message}`);
    }
    if (argv.length === 0) throw new Error('exec: needs a command');
    return { kind: 'exec', text: value, argv };
  }
  if (value.startsWith('log:')) {
    const source = value.slice(4);
    if (source === '') throw new Error('log: needs a regular expression');
    return { kind: 'log', text: value, regex: translatePythonRegex(source), source };
  }
  if (/^(tcp|https?):\/\//.test(value)) {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new Error(`${JSON.stringify(value)} is not a valid URL`);
    }
    if (url.hostname === '') throw new Error('the URL has no host');
    if (url.protocol === 'tcp:') {
      const port = Number(url.port);
      if (!url.port || !Number.isInteger(port) || port < 1) throw new Error('tcp:// needs a port: tcp://HOST:PORT');
      return { kind: 'tcp', text: value, host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port };
    }
    return { kind: 'http', text: value, url: url.href };
  }
  throw new Error(`${JSON.stringify(value)} is not a ready check`);
}

/** Parses "200-299,401"; throws on anything else. */
export function parseStatusRanges(text: string): StatusRange[] {
  return text.split(',').map((part) => {
    const match = /^\s*(\d{3})\s*(?:-\s*(\d{3})\s*)?$/.exec(part);
    if (!match) throw new Error(`${JSON.stringify(part.trim())} is not a status or a range of statuses`);
    const from = Number(match[1]);
    const to = match[2] === undefined ? from : Number(match[2]);
    if (from < 100 || to > 599 || to < from) throw new Error(`${part.trim()} is not a range of HTTP statuses (100-599)`);
    return { from, to };
  });
}

export const DEFAULT_READY_STATUS: StatusRange[] = [{ from: 200, to: 399 }];

export function statusAccepted(status: number, ranges: readonly StatusRange[]): boolean {
  return ranges.some((range) => status >= range.from && status <= range.to);
}

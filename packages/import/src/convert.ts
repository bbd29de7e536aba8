import os from 'node:os';

/** supervisord's booleans (true/false, yes/no, on/off, 1/0), as usrsvc's True/False. */
export function supervisorBoolean(text: string): string | undefined {
  const lower = text.trim().toLowerCase();
  if (['true', 'yes', 'on', '1'].includes(lower)) return 'True';
  if (['false', 'no', 'off', '0'].includes(lower)) return 'False';
  return undefined;
}

/** A signal name without "SIG" from "TERM", "SIGTERM" or a number ("15"); undefined if unknown. */
export function signalNameOf(text: string | number): string | undefined {
  const raw = String(text).trim().toUpperCase();
  if (/^\d+$/.test(raw)) {
    const entry = Object.entries(os.constants.signals).find(([, number]) => number === Number(raw));
    return entry ? entry[0].slice(3) : undefined;
  }
  const name = raw.startsWith('SIG') ? raw : `SIG${raw}`;
  return name in os.constants.signals ? name.slice(3) : undefined;
}

/** A shell is needed when the text has anything a shell would interpret. */
export function needsShell(command: string): boolean {
  return /[|&;<>()$`\\"'*?[\]#~\n]/.test(command);
}

/** Seconds as usrsvc writes them: "2", "0.5". */
export function seconds(value: number): string {
  return String(Math.round(value * 1000) / 1000);
}

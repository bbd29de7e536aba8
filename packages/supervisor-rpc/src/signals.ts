import os from 'node:os';

/**
 * A signal as supervisord's signal_number accepts it: a name ("HUP", "SIGHUP", any case) or a
 * number ("1"); undefined when it is neither.
 */
export function parseSignal(text: string): NodeJS.Signals | undefined {
  const signals = os.constants.signals as Record<string, number>;
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) {
    const n = Number(trimmed);
    for (const [name, number] of Object.entries(signals)) if (number === n) return name as NodeJS.Signals;
    return undefined;
  }
  const upper = trimmed.toUpperCase();
  const name = upper.startsWith('SIG') ? upper : `SIG${upper}`;
  return name in signals ? (name as NodeJS.Signals) : undefined;
}

import { parseBoolean } from './parseKeyValue.js';

/** `autorestart`: True, False (the original's booleans) or `unexpected` (only after an exit not in exit_codes). */
export function parseAutoRestart(text: string): boolean | 'unexpected' | undefined {
  if (text.trim().toLowerCase() === 'unexpected') return 'unexpected';
  return parseBoolean(text.trim());
}

/** `umask = 022`: octal digits, 0 to 0777. */
export function parseUmask(text: string): number | undefined {
  return /^0?[0-7]{1,3}$/.test(text.trim()) ? Number.parseInt(text.trim(), 8) : undefined;
}

/** `nice = N`: -20 (most favourable) to 19. */
export function parseNice(text: string): number | undefined {
  if (!/^[+-]?\d+$/.test(text.trim())) return undefined;
  const value = Number.parseInt(text.trim(), 10);
  return value >= -20 && value <= 19 ? value : undefined;
}

/** One `exit_codes` entry: 0 to 255. */
export function parseExitCode(text: string): number | undefined {
  if (!/^\d+$/.test(text)) return undefined;
  const value = Number.parseInt(text, 10);
  return value <= 255 ? value : undefined;
}

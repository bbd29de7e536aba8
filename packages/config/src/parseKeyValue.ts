import type { KeySpec } from './KeySpec.js';

export type ParsedKeyValue = { ok: true; value: unknown } | { ok: false; error: string; hint?: string };

const integerText = /^\d+$/;
// The original's FLOAT_RE: digits, optionally a dot and more digits (no sign, no exponent).
const numberText = /^(?:\d+(?:\.\d+)?|\.\d+)$/;

/** Turns a value's text into its typed value, with the original's rules (non-negative numbers only). */
export function parseKeyValue(spec: KeySpec, text: string): ParsedKeyValue {
  const parsed = parseByType(spec.type, text);
  if (!parsed.ok || !spec.validate) return parsed;
  const problem = spec.validate(parsed.value);
  return problem === undefined ? parsed : { ok: false, error: problem };
}

function parseByType(type: KeySpec['type'], text: string): ParsedKeyValue {
  switch (type) {
    case 'string':
      return { ok: true, value: text };
    case 'boolean': {
      const value = parseBoolean(text);
      return value === undefined ? invalid(text, type) : { ok: true, value };
    }
    case 'integer':
      return integerText.test(text) ? { ok: true, value: Number.parseInt(text, 10) } : invalid(text, type);
    case 'number':
      return numberText.test(text) ? { ok: true, value: Number.parseFloat(text) } : invalid(text, type);
    case 'path':
      return text.startsWith('/')
        ? { ok: true, value: text }
        : { ok: false, error: `${JSON.stringify(text)} is not an absolute path`, hint: describeType(type) };
    case 'list':
      return { ok: true, value: splitList(text) };
    case 'size': {
      const value = parseSize(text);
      return value === undefined ? invalid(text, type) : { ok: true, value };
    }
  }
}

const SIZE_UNITS: Record<string, number> = { '': 1, B: 1, K: 1024, KB: 1024, M: 1024 ** 2, MB: 1024 ** 2, G: 1024 ** 3, GB: 1024 ** 3 };

/** "50MB", "1GB", "512KB", "1048576": bytes, in units of 1024 as supervisord's logfile_maxbytes. */
export function parseSize(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*([KMG]?B?)$/i.exec(text);
  const factor = match ? SIZE_UNITS[match[2]!.toUpperCase()] : undefined;
  return match && factor !== undefined ? Math.floor(Number.parseFloat(match[1]!) * factor) : undefined;
}

/** True/False in any case, or digits (non-zero is true), as the original's getConfigValueBool. */
export function parseBoolean(text: string): boolean | undefined {
  if (integerText.test(text)) return Number.parseInt(text, 10) !== 0;
  const lower = text.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  return undefined;
}

export function splitList(text: string): string[] {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function invalid(text: string, type: KeySpec['type']): ParsedKeyValue {
  return { ok: false, error: `invalid value ${JSON.stringify(text)}`, hint: describeType(type) };
}

function describeType(type: KeySpec['type']): string {
  switch (type) {
    case 'boolean':
      return 'expected True, False, 1 or 0 (any case)';
    case 'integer':
      return 'expected a whole number of 0 or more, like 3';
    case 'number':
      return 'expected a number of 0 or more, like 2 or 0.5';
    case 'path':
      return 'expected an absolute path starting with "/"';
    case 'list':
      return 'expected a comma-separated list';
    case 'size':
      return 'expected a size in bytes, optionally with a unit: 1048576, 512KB, 50MB, 1GB';
    case 'string':
      return 'expected text';
  }
}

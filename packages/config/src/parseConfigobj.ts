import { ConfigError } from './ConfigError.js';

export interface ConfigEntry {
  key: string;
  value: string;
  file: string;
  line: number;
  /** The section it was written in, e.g. "Program:web" or "Program:web] [[Env]". */
  section: string;
}

/** A [[Name]] subsection (Env, Monitoring, ...) inside a top-level section. */
export interface ConfigSubsection {
  name: string;
  file: string;
  line: number;
  entries: Map<string, ConfigEntry>;
}

export interface ConfigSection {
  /** The header text, e.g. "Program:web". */
  name: string;
  file: string;
  line: number;
  entries: Map<string, ConfigEntry>;
  subsections: ConfigSubsection[];
}

export interface ParsedConfigFile {
  file: string;
  sections: ConfigSection[];
  /** key = value lines before the first section. */
  topLevel: ConfigEntry[];
  errors: ConfigError[];
}

const sectionHeader = /^(\[+)\s*(.*?)\s*(\]+)\s*(?:#.*)?$/;

/**
 * Reads configobj-style text line by line, keeping the file and line of every key.
 * Follows configobj where the original relied on it: only "#" starts a comment, ";" is an
 * ordinary character, a fully quoted value loses its quotes (no escape processing), and keys
 * after a [[subsection]] belong to it until the next header, whatever their indentation.
 */
export function parseConfigobj(text: string, file: string): ParsedConfigFile {
  const parsed: ParsedConfigFile = { file, sections: [], topLevel: [], errors: [] };
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  let section: ConfigSection | undefined;
  let entries: Map<string, ConfigEntry> | undefined;
  let scope = '';

  const fail = (line: number, message: string, hint?: string, key?: string) => {
    parsed.errors.push(
      new ConfigError(message, {
        file,
        line,
        ...(scope ? { section: scope } : {}),
        ...(key ? { key } : {}),
        ...(hint ? { hint } : {}),
      }),
    );
  };

  for (let index = 0; index < lines.length; index++) {
    const line = index + 1;
    const trimmed = lines[index]!.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;

    if (trimmed.startsWith('[')) {
      const match = sectionHeader.exec(trimmed);
      if (!match || match[1]!.length !== match[3]!.length) {
        fail(line, `invalid section header ${JSON.stringify(trimmed)}`, 'write [Name] or [[Name]]');
        entries = undefined;
        continue;
      }
      const depth = match[1]!.length;
      const name = unquote(match[2]!);
      if (depth === 1) {
        section = { name, file, line, entries: new Map(), subsections: [] };
        parsed.sections.push(section);
        entries = section.entries;
        scope = name;
      } else if (depth === 2 && section) {
        if (section.subsections.some((sub) => sub.name === name)) {
          scope = `${section.name}] [[${name}]`;
          fail(line, `duplicate subsection [[${name}]] in [${section.name}]`);
          entries = undefined;
          continue;
        }
        const subsection: ConfigSubsection = { name, file, line, entries: new Map() };
        section.subsections.push(subsection);
        entries = subsection.entries;
        scope = `${section.name}] [[${name}]`;
      } else {
        fail(
          line,
          depth === 2
            ? `subsection [[${name}]] outside of any section`
            : `section [${'['.repeat(depth - 1)}${name}${']'.repeat(depth - 1)}] is nested too deep`,
          'subsections ([[Env]], [[Monitoring]]) go inside a [Program:NAME] or [DefaultSettings:NAME]',
        );
        entries = undefined;
      }
      continue;
    }

    const equals = trimmed.indexOf('=');
    if (equals === -1) {
      fail(
        line,
        `invalid line ${JSON.stringify(trimmed)}: expected key = value`,
        trimmed.startsWith(';') ? 'comments start with "#"; ";" is not a comment' : undefined,
      );
      continue;
    }
    const key = unquote(trimmed.slice(0, equals).trim());
    if (key === '') {
      fail(line, 'missing key name before "="');
      continue;
    }
    const value = parseValue(trimmed.slice(equals + 1));
    if (value.error !== undefined) {
      fail(line, value.error, undefined, key);
      continue;
    }
    const entry: ConfigEntry = { key, value: value.text, file, line, section: scope };
    if (!section) {
      parsed.topLevel.push(entry);
      continue;
    }
    if (!entries) continue; // inside a header that was already reported as invalid
    const previous = entries.get(key);
    if (previous) {
      fail(line, `duplicate key (first set on line ${previous.line})`, undefined, key);
      continue;
    }
    entries.set(key, entry);
  }
  return parsed;
}

/** The value after "=": a fully quoted value loses its quotes; otherwise an unquoted "#" after whitespace starts a comment. */
function parseValue(raw: string): { text: string; error?: undefined } | { text?: undefined; error: string } {
  const value = raw.trim();
  if (value.startsWith('"""') || value.startsWith("'''")) {
    return { error: 'triple-quoted (multi-line) values are not supported' };
  }
  const quote = value[0];
  if (quote === '"' || quote === "'") {
    const close = value.indexOf(quote, 1);
    if (close !== -1) {
      const rest = value.slice(close + 1).trim();
      if (rest === '' || rest.startsWith('#')) return { text: value.slice(1, close) };
    }
  }
  return { text: stripComment(value) };
}

function stripComment(value: string): string {
  if (!value.includes('#')) return value; // most values: no scan character by character (unoptimised at start-up)
  let cut = commentStart(value, true);
  if (cut === 'unbalanced') cut = commentStart(value, false);
  return typeof cut === 'number' ? value.slice(0, cut).trimEnd() : value;
}

/** Index of the first "#" that follows whitespace, outside shell quotes when trackQuotes. */
function commentStart(value: string, trackQuotes: boolean): number | 'unbalanced' | undefined {
  let quote: string | undefined;
  for (let i = 0; i < value.length; i++) {
    const char = value[i]!;
    if (quote) {
      if (char === quote) quote = undefined;
      else if (char === '\\' && quote === '"') i++;
      continue;
    }
    if (char === '\\') {
      i++;
    } else if (trackQuotes && (char === '"' || char === "'")) {
      quote = char;
    } else if (char === '#' && (i === 0 || /\s/.test(value[i - 1]!))) {
      return i;
    }
  }
  return quote ? 'unbalanced' : undefined;
}

function unquote(text: string): string {
  if (text.length >= 2 && (text[0] === '"' || text[0] === "'") && text.endsWith(text[0])) {
    return text.slice(1, -1);
  }
  return text;
}

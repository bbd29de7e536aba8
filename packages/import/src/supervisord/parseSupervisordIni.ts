import { ImportParseError } from '../ImportParseError.js';

export interface IniEntry {
  key: string;
  value: string;
  line: number;
}

export interface IniSection {
  name: string;
  file: string;
  line: number;
  entries: Map<string, IniEntry>;
}

/**
 * Reads supervisord's INI as Python's RawConfigParser does with supervisord's settings: full-line
 * comments with ";" or "#", inline comments only after whitespace, "=" or ":", lower-cased keys,
 * indented continuation lines joined with "\n" (comment and blank lines inside skipped), CRLF.
 */
export function parseSupervisordIni(text: string, file: string): IniSection[] {
  const sections: IniSection[] = [];
  let section: IniSection | undefined;
  let current: { entry: IniEntry; indent: number; parts: string[] } | undefined;
  const finish = () => {
    if (current) current.entry.value = current.parts.join('\n').replace(/\n+$/, '');
    current = undefined;
  };
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  for (let index = 0; index < lines.length; index++) {
    const raw = lines[index]!;
    const line = index + 1;
    const cut = commentStart(raw);
    const value = raw.slice(0, cut).trim();
    if (value === '') {
      if (cut === raw.length && current) current.parts.push('');
      continue;
    }
    const indent = raw.length - raw.trimStart().length;
    if (current && indent > current.indent) {
      current.parts.push(value);
      continue;
    }
    finish();
    const header = /^\[(.+)\]$/.exec(value);
    if (header) {
      const name = header[1]!;
      if (sections.some((other) => other.name === name)) throw new ImportParseError(file, line, `duplicate section [${name}]`);
      section = { name, file, line, entries: new Map() };
      sections.push(section);
      continue;
    }
    if (!section) throw new ImportParseError(file, line, `a setting before any [section]: ${JSON.stringify(value)}`);
    const option = /^(.*?)\s*([=:])\s*(.*)$/.exec(value);
    if (!option || option[1] === '') throw new ImportParseError(file, line, `expected "key = value" or "[section]", found ${JSON.stringify(value)}`);
    const key = option[1]!.toLowerCase();
    const previous = section.entries.get(key);
    if (previous) throw new ImportParseError(file, line, `[${section.name}] ${key} is set twice (first on line ${previous.line})`);
    const entry: IniEntry = { key, value: '', line };
    section.entries.set(key, entry);
    current = { entry, indent, parts: [option[3]!] };
  }
  finish();
  return sections;
}

/** Where a comment starts: the whole line for ";"/"#" first, else the first ";" or "#" after whitespace. */
function commentStart(line: string): number {
  const trimmed = line.trimStart();
  if (trimmed.startsWith(';') || trimmed.startsWith('#')) return 0;
  for (let i = 1; i < line.length; i++) {
    if ((line[i] === ';' || line[i] === '#') && /\s/.test(line[i - 1]!)) return i;
  }
  return line.length;
}

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ImportParseError } from '../ImportParseError.js';
import { type IniSection, parseSupervisordIni } from './parseSupervisordIni.js';

/** Every section of a supervisord config and the files its [include] files= name (globs, relative to the including file). */
export function readSupervisordFiles(file: string, seen = new Set<string>()): IniSection[] {
  const absolute = path.resolve(file);
  if (seen.has(absolute)) return [];
  seen.add(absolute);
  let text: string;
  try {
    text = fs.readFileSync(absolute, 'utf8');
  } catch (error) {
    throw new ImportParseError(absolute, undefined, `cannot read the file: ${(error as Error).message}`);
  }
  const sections = parseSupervisordIni(text, absolute);
  const all: IniSection[] = [];
  for (const section of sections) {
    all.push(section);
    if (section.name !== 'include') continue;
    const files = section.entries.get('files');
    if (!files) continue;
    const here = path.dirname(absolute);
    for (const pattern of files.value.split(/\s+/).filter(Boolean)) {
      const expanded = pattern.replace(/%\(here\)s/g, here).replace(/^~(?=\/)/, os.homedir());
      for (const included of globFiles(path.resolve(here, expanded))) all.push(...readSupervisordFiles(included, seen));
    }
  }
  return all;
}

/** Files matching a glob whose wildcards (*, ?, [...]) are in the last part of the path, sorted as supervisord does. */
function globFiles(pattern: string): string[] {
  const dir = path.dirname(pattern);
  const base = path.basename(pattern);
  if (!/[*?[]/.test(base)) return fs.existsSync(pattern) ? [pattern] : [];
  const regex = new RegExp(
    `^${base.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]').replace(/\[!/g, '[^')}$`,
  );
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((name) => !name.startsWith('.') && regex.test(name))
    .sort()
    .map((name) => path.join(dir, name));
}

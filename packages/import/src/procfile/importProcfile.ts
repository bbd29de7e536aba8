import fs from 'node:fs';
import path from 'node:path';
import { DraftBuilder } from '../DraftBuilder.js';
import { needsShell } from '../convert.js';
import { ImportParseError } from '../ImportParseError.js';
import type { DraftProgram, ImportOptions } from '../types.js';

/** Each `name: command` line of a Procfile is a program; $PORT is the port base + 100 per line, as foreman assigns it. */
export function importProcfile(files: readonly string[], options: ImportOptions): DraftProgram[] {
  const drafts: DraftProgram[] = [];
  let port = options.portBase ?? 5000;
  for (const file of files) {
    const absolute = path.resolve(file);
    let text: string;
    try {
      text = fs.readFileSync(absolute, 'utf8');
    } catch (error) {
      throw new ImportParseError(absolute, undefined, `cannot read the file: ${(error as Error).message}`);
    }
    for (const [index, raw] of text.split(/\r\n|\n|\r/).entries()) {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) continue;
      const match = /^([A-Za-z0-9_-]+):\s*(.+)$/.exec(line);
      if (!match) throw new ImportParseError(absolute, index + 1, `expected "name: command", found ${JSON.stringify(line)}`);
      const from = { file: absolute, line: index + 1, key: match[1]! };
      const draft = new DraftBuilder(match[1]!, from);
      const usesPort = /\$(PORT\b|\{PORT\})/.test(match[2]!);
      const command = match[2]!.replace(/\$(PORT\b|\{PORT\})/g, String(port));
      draft.set('command', command, from, usesPort ? `$PORT is ${port}` : undefined);
      // Procfile commands are shell lines; a plain one runs without a shell so that its title is its own.
      if (needsShell(command)) draft.set('useshell', 'True', from);
      draft.set('directory', path.dirname(absolute), { ...from, key: `${match[1]} (Procfile folder)` });
      draft.env('PORT', String(port), { ...from, key: `${match[1]} $PORT` });
      drafts.push(draft.build());
      port += 100;
    }
  }
  return drafts;
}

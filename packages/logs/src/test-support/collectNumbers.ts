import fs from 'node:fs';
import zlib from 'node:zlib';

export interface NumberCount {
  /** How many times each number appeared across the file and its backups. */
  seen: Map<number, number>;
  /** Lines that are not "line N" (a torn or NUL-filled line would show here). */
  malformed: string[];
  /** A last line without its newline: a write the copy caught half done (its rest was truncated). */
  torn: string[];
  nulBytes: number;
}

/** Reads `file` and every `file.N` / `file.N.gz` and counts the "line N" lines. */
export function collectNumbers(file: string): NumberCount {
  const dir = file.slice(0, file.lastIndexOf('/'));
  const base = file.slice(file.lastIndexOf('/') + 1);
  const names = fs.readdirSync(dir).filter((name) => name === base || new RegExp(`^${base.replace(/\./g, '\\.')}\\.\\d+(\\.gz)?$`).test(name));
  const result: NumberCount = { seen: new Map(), malformed: [], torn: [], nulBytes: 0 };
  for (const name of names) {
    let bytes = fs.readFileSync(`${dir}/${name}`);
    if (name.endsWith('.gz')) bytes = zlib.gunzipSync(bytes);
    for (const byte of bytes) if (byte === 0) result.nulBytes += 1;
    const lines = bytes.toString('utf8').split('\n');
    const last = lines.pop()!;
    if (last !== '') result.torn.push(last);
    for (const line of lines) {
      const match = /^line (\d+)$/.exec(line);
      if (!match) result.malformed.push(line.slice(0, 80));
      else result.seen.set(Number(match[1]), (result.seen.get(Number(match[1])) ?? 0) + 1);
    }
  }
  return result;
}

/** Numbers in 1..last never seen, as ranges [from, to]. */
export function missingRanges(seen: Map<number, number>, last: number): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  for (let n = 1; n <= last; n += 1) {
    if (seen.has(n)) continue;
    const from = n;
    while (n + 1 <= last && !seen.has(n + 1)) n += 1;
    ranges.push([from, n]);
  }
  return ranges;
}

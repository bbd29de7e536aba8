/** Splits bytes into whole lines (without "\n" or a trailing "\r") and the unfinished rest. */
export function splitLines(bytes: Buffer): { lines: string[]; rest: Buffer } {
  const lines: string[] = [];
  let start = 0;
  for (let newline = bytes.indexOf(10, start); newline !== -1; newline = bytes.indexOf(10, start)) {
    const end = newline > start && bytes[newline - 1] === 13 ? newline - 1 : newline;
    lines.push(bytes.toString('utf8', start, end));
    start = newline + 1;
  }
  return { lines, rest: bytes.subarray(start) };
}

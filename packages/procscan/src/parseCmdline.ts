/**
 * Turns the bytes of /proc/<pid>/cmdline into argv.
 *
 * The kernel holds argv as NUL-terminated strings ("a\0b\0\0c\0" is ['a', 'b', '', 'c']).
 * Programs that rewrite their title (setproctitle, perl's $0, process.title) leave either one
 * string with no terminating NUL, or the title followed by NUL padding up to the old length;
 * both are read as a single argument. A single argument followed by two or more empty
 * arguments is indistinguishable from padding and is read the same way.
 */
export function parseCmdline(bytes: Buffer): string[] {
  let end = bytes.length;
  if (end === 0) return [];
  if (bytes[end - 1] !== 0) return [bytes.toString('utf8')];
  end -= 1; // the terminating NUL of the last argument
  const firstNul = bytes.indexOf(0);
  if (firstNul === end) return [bytes.toString('utf8', 0, end)];
  let contentEnd = end;
  while (contentEnd > 0 && bytes[contentEnd - 1] === 0) contentEnd -= 1;
  if (contentEnd > 0 && end - contentEnd >= 2 && firstNul === contentEnd) {
    return [bytes.toString('utf8', 0, contentEnd)]; // a rewritten title with NUL padding
  }
  return bytes.toString('utf8', 0, end).split('\0');
}

/**
 * The literal text every string that `re` matches must end with: the plain characters right
 * before a final `$` (no `m` or `i` flag, no alternation anywhere, nothing repeated or optional
 * among them). '' when there is no such text. The default proctitle_re (the command's escaped
 * words, anchored with `$`) ends with its whole last word, so one lookup by the title's last
 * characters finds the few processes worth testing, instead of testing every process.
 */
export function requiredSuffix(re: RegExp): string {
  if (re.flags.includes('m') || re.flags.includes('i')) return '';
  const source = re.source;
  if (source.includes('|')) return '';
  let run = '';
  for (let i = 0; i < source.length; i++) {
    const char = source[i]!;
    if (char === '\\') {
      const next = source[i + 1];
      if (next === undefined) return '';
      i += 1;
      // An escaped punctuation character is itself; a letter or digit is a class, an assertion
      // or the start of a longer escape (\x41, \u{...}, \k<name>, \1), none of them plain text.
      if (/[A-Za-z0-9]/.test(next)) {
        if (/[xuckpP0-9]/.test(next)) return '';
        run = '';
      } else {
        run += next;
      }
    } else if (char === '[') {
      i = classEnd(source, i);
      if (i < 0) return '';
      run = '';
    } else if (char === '$') {
      if (i === source.length - 1) return run;
      run = '';
    } else if ('^.()*+?{}]'.includes(char)) {
      // A quantifier makes what precedes it optional or repeated: the text before it no longer
      // ends every match where it stands.
      run = '';
    } else {
      run += char;
    }
  }
  return '';
}

/** The index of the `]` that closes the class opened at `open`, or -1. */
function classEnd(source: string, open: number): number {
  let i = open + 1;
  if (source[i] === '^') i += 1;
  if (source[i] === ']') i += 1;
  for (; i < source.length; i++) {
    if (source[i] === '\\') i += 1;
    else if (source[i] === ']') return i;
  }
  return -1;
}

/** A proctitle_re that cannot be expressed as a JavaScript RegExp, or is not a valid regex at all. */
export class PythonRegexError extends Error {
  readonly code = 'USRSVC_PYTHON_REGEX' as const;
  readonly source: string;
  /** Index in source where the problem is, when known. */
  readonly position?: number;

  constructor(message: string, source: string, position?: number) {
    super(message);
    this.name = 'PythonRegexError';
    this.source = source;
    if (position !== undefined) this.position = position;
  }
}

export interface TranslatedRegex {
  pattern: string;
  flags: string;
}

/** Compiles a Python (re module) regex as a JavaScript RegExp; use RegExp#test for re.search semantics. */
export function translatePythonRegex(source: string): RegExp {
  const { pattern, flags } = translatePythonRegexSource(source);
  try {
    return new RegExp(pattern, flags);
  } catch (error) {
    throw new PythonRegexError(`not a valid regular expression: ${(error as Error).message}`, source);
  }
}

const knownEscapes = new Set([...'bBdDsSwWfnrtvxu0123456789']);
const globalFlagGroup = /^\(\?([aiLmsux]+)\)/;
const quantifierBraces = /^\{(\d*)(,\d*)?\}/;
const groupName = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Rewrites the parts of Python's dialect that JavaScript spells differently: (?P<n>...),
 * (?P=n), \A, \Z, (?#...), leading (?ims) flags, "{,n}", and "]" first in a class. What has no
 * JavaScript equivalent in Node 20 (verbose mode, scoped or mid-pattern flags, conditionals,
 * atomic groups, possessive quantifiers, \N{...}, \U) throws a PythonRegexError.
 */
export function translatePythonRegexSource(source: string): TranslatedRegex {
  return PLAIN_TEXT.test(source) ? { pattern: source, flags: '' } : translateStepByStep(source);
}

/**
 * Text, anchors and punctuation escapes only (what defaultProctitleRe derives from a command),
 * which read the same in both dialects: checked by one regular expression rather than the loop
 * below, which runs unoptimised at start-up (a few ms of `usrsvc status` at 200 programs).
 */
const PLAIN_TEXT = /^(?:[^\\[\](){}*+?]|\\[\\^$.|?*+()[\]{}])*$/;

/** translatePythonRegexSource, character by character. */
export function translateStepByStep(source: string): TranslatedRegex {
  const flags = new Set<string>();
  let out = '';
  let i = 0;
  let inClass = false;
  let afterQuantifier = false;
  const fail = (message: string, at: number): never => {
    throw new PythonRegexError(`${message} (at position ${at} of ${JSON.stringify(source)})`, source, at);
  };

  for (let match = globalFlagGroup.exec(source); match; match = globalFlagGroup.exec(source.slice(i))) {
    for (const flag of match[1]!) {
      if (flag === 'x') fail('verbose mode (?x) is not supported; remove the whitespace and comments', i);
      if (flag === 'L') fail('(?L) applies to bytes patterns only', i);
      if (flag === 'i' || flag === 'm' || flag === 's') flags.add(flag);
      // a and u only choose ASCII or Unicode classes; JavaScript's \w and \d are ASCII already.
    }
    i += match[0].length;
  }

  while (i < source.length) {
    const char = source[i]!;
    if (char === '\\') {
      out += translateEscape(source, i, inClass, fail);
      i += 2;
      afterQuantifier = false;
      continue;
    }
    if (inClass) {
      if (char === ']') inClass = false;
      out += char;
      i++;
      continue;
    }
    if (char === '[') {
      inClass = true;
      out += '[';
      i++;
      if (source[i] === '^') {
        out += '^';
        i++;
      }
      if (source[i] === ']') {
        out += '\\]'; // literal in Python; JavaScript would read "[]" as an empty class
        i++;
      }
      afterQuantifier = false;
      continue;
    }
    if (char === '(' && source[i + 1] === '?') {
      const group = translateExtension(source, i, fail);
      out += group.text;
      i = group.next;
      afterQuantifier = false;
      continue;
    }
    if (char === '{') {
      const braces = quantifierBraces.exec(source.slice(i));
      if (braces && (braces[1] !== '' || braces[2] !== undefined)) {
        out += braces[1] === '' ? `{0${braces[2]}}` : braces[0];
        i += braces[0].length;
        afterQuantifier = true;
        continue;
      }
    }
    if (char === '+' && afterQuantifier) fail('possessive quantifiers are not supported', i);
    out += char;
    i++;
    afterQuantifier = char === '*' || char === '+' || (char === '?' && !afterQuantifier);
  }
  if (inClass) fail('unterminated character set', source.lastIndexOf('['));
  return { pattern: out, flags: [...flags].sort().join('') };
}

function translateEscape(
  source: string,
  at: number,
  inClass: boolean,
  fail: (message: string, at: number) => never,
): string {
  const next = source[at + 1];
  if (next === undefined) return fail('pattern ends with a lone backslash', at);
  if (!inClass && next === 'A') return '^';
  if (!inClass && (next === 'Z' || next === 'z')) return '$';
  if (next === 'a') return '\\x07';
  if (next === 'N') return fail('\\N{...} named characters are not supported', at);
  if (next === 'U') return fail('\\U escapes are not supported; write the character itself', at);
  if (/[A-Za-z]/.test(next) && !knownEscapes.has(next)) {
    return fail(`bad escape \\${next} (Python rejects it)`, at);
  }
  return `\\${next}`;
}

function translateExtension(
  source: string,
  at: number,
  fail: (message: string, at: number) => never,
): { text: string; next: number } {
  const rest = source.slice(at);
  const named = /^\(\?P<([^>]*)>/.exec(rest);
  if (named) {
    if (!groupName.test(named[1]!)) fail(`bad group name ${JSON.stringify(named[1])}`, at);
    return { text: `(?<${named[1]}>`, next: at + named[0].length };
  }
  const backreference = /^\(\?P=([^)]*)\)/.exec(rest);
  if (backreference) {
    if (!groupName.test(backreference[1]!)) fail(`bad group name ${JSON.stringify(backreference[1])}`, at);
    return { text: `\\k<${backreference[1]}>`, next: at + backreference[0].length };
  }
  if (rest.startsWith('(?#')) {
    const end = source.indexOf(')', at);
    if (end === -1) fail('unterminated comment (?#...)', at);
    return { text: '', next: end + 1 };
  }
  if (/^\(\?(?::|=|!|<=|<!|<[A-Za-z_])/.test(rest)) return { text: '(?', next: at + 2 };
  if (rest.startsWith('(?>')) return fail('atomic groups (?>...) are not supported', at);
  if (rest.startsWith('(?(')) return fail('conditional groups (?(...)...) are not supported', at);
  if (/^\(\?[aiLmsux]+\)/.test(rest)) {
    return fail('inline flags must be at the very start of the pattern, like (?i)foo', at);
  }
  if (/^\(\?[aiLmsux]*(?:-[imsx]+)?:/.test(rest)) {
    return fail('scoped inline flags (?i:...) are not supported; put (?i) at the start instead', at);
  }
  return fail(`unknown group extension ${JSON.stringify(rest.slice(0, 4))}`, at);
}

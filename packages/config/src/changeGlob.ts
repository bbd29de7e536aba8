/** A restart_on_change_ignore glob that cannot be compiled; the message says what is wrong. */
export class GlobSyntaxError extends Error {
  readonly code = 'USRSVC_GLOB';
  constructor(
    readonly glob: string,
    detail: string,
  ) {
    super(`${JSON.stringify(glob)}: ${detail}`);
    this.name = 'GlobSyntaxError';
  }
}

/**
 * restart_on_change_ignore's defaults: what nobody wants a restart for (version control, installed
 * packages, Python's byte code, editors' swap and backup files).
 */
export const DEFAULT_CHANGE_IGNORE: readonly string[] = ['**/.git/**', '**/node_modules/**', '**/__pycache__/**', '**/*.pyc', '**/.*.swp', '**/*~'];

const REGEX_SPECIAL = /[\\^$.*+?()[\]{}|/]/g;

/**
 * Compiles one glob to a RegExp over a path: `*` (within a name), `?`, `[abc]`, `[a-z]`, `[!x]`,
 * `**` as a whole segment (any number of folders; `a/**` also matches `a`), `\` escapes. Braces are
 * refused: a list value is split at commas, so `{a,b}` could not reach here whole.
 */
export function compileGlob(glob: string): RegExp {
  if (glob === '') throw new GlobSyntaxError(glob, 'empty glob');
  const segments = glob.split('/');
  let source = '';
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    const last = i === segments.length - 1;
    if (segment === '**') {
      // "**/" at the start or in the middle: zero or more folders; "/**" at the end: the folder and all below.
      if (last) source = i === 0 ? '.*' : `${source.slice(0, -1)}(?:/.*)?`;
      else source += '(?:[^/]*/)*';
      continue;
    }
    source += segmentSource(glob, segment) + (last ? '' : '/');
  }
  return new RegExp(`^${source}$`);
}

/** The problem with a glob, or undefined when it compiles. */
export function globProblem(glob: string): string | undefined {
  try {
    compileGlob(glob);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

function segmentSource(glob: string, segment: string): string {
  let out = '';
  for (let i = 0; i < segment.length; i++) {
    const char = segment[i]!;
    switch (char) {
      case '\\': {
        const next = segment[i + 1];
        if (next === undefined) throw new GlobSyntaxError(glob, 'ends with "\\" (escape what?)');
        out += next.replace(REGEX_SPECIAL, '\\$&');
        i += 1;
        break;
      }
      case '*':
        while (segment[i + 1] === '*') i += 1;
        out += '[^/]*';
        break;
      case '?':
        out += '[^/]';
        break;
      case '[': {
        const end = bracketEnd(segment, i);
        if (end === -1) throw new GlobSyntaxError(glob, 'unclosed "[" (write "\\[" for a literal one)');
        out += bracketSource(segment.slice(i + 1, end));
        i = end;
        break;
      }
      case '{':
      case '}':
        throw new GlobSyntaxError(glob, 'braces are not supported (the list is split at commas): write one glob for each alternative');
      default:
        out += char.replace(REGEX_SPECIAL, '\\$&');
    }
  }
  return out;
}

/** Index of the "]" that closes the bracket opened at `start` (a "]" right after "[" or "[!" is literal), or -1. */
function bracketEnd(segment: string, start: number): number {
  let i = start + 1;
  if (segment[i] === '!' || segment[i] === '^') i += 1;
  if (segment[i] === ']') i += 1;
  for (; i < segment.length; i++) {
    if (segment[i] === '\\') i += 1;
    else if (segment[i] === ']') return i;
  }
  return -1;
}

function bracketSource(body: string): string {
  const negated = body[0] === '!' || body[0] === '^';
  const chars = (negated ? body.slice(1) : body).replace(/\\(.)/g, '$1').replace(/[\\\]^]/g, '\\$&');
  // A bracket never matches "/" (a name's characters only).
  return negated ? `[^/${chars}]` : `(?!/)[${chars}]`;
}

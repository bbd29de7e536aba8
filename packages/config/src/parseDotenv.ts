/** One KEY=VALUE of an env file, with the line it starts on. */
export interface DotenvEntry {
  key: string;
  value: string;
  line: number;
}

/** A line of an env file that is not KEY=VALUE, a comment or blank. Never carries a value. */
export class DotenvSyntaxError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly detail: string,
  ) {
    super(`${file}:${line}: ${detail}`);
    this.name = 'DotenvSyntaxError';
  }
}

const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
const DOUBLE_QUOTE_ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\', $: '$' };

/**
 * The env-file dialect of dotenv and docker compose: `KEY=VALUE` lines, `#` comments (whole lines,
 * or after a space in an unquoted value), an optional `export ` prefix, 'single quotes' taken
 * literally, "double quotes" with \n \r \t \" \\ \$ escapes, either spanning lines. Nothing is
 * evaluated: no `$VAR`, no command substitution. Error messages name file:line, never a value.
 */
export function parseDotenv(text: string, file: string): DotenvEntry[] {
  const entries: DotenvEntry[] = [];
  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const lineNumber = index + 1;
    const line = lines[index]!.trimStart();
    if (line === '' || line.startsWith('#')) continue;
    const fail = (detail: string): never => {
      throw new DotenvSyntaxError(file, lineNumber, detail);
    };
    const body = /^export\s+/.test(line) ? line.replace(/^export\s+/, '') : line;
    const equals = body.indexOf('=');
    if (equals < 0) fail('expected KEY=VALUE');
    const key = body.slice(0, equals).trim();
    if (!KEY.test(key)) fail(`${JSON.stringify(key)} is not a variable name (letters, digits and _, not starting with a digit)`);
    const rest = body.slice(equals + 1).trimStart();
    const quote = rest[0];
    if (quote !== '"' && quote !== "'") {
      entries.push({ key, value: rest.replace(/(^|\s)#.*$/, '').trim(), line: lineNumber });
      continue;
    }
    // A quoted value may span lines: read on until its closing quote.
    let value = '';
    let text = rest.slice(1);
    for (;;) {
      const close = findClosingQuote(text, quote);
      if (close >= 0) {
        value += quote === '"' ? unescapeDouble(text.slice(0, close)) : text.slice(0, close);
        const after = text.slice(close + 1).trim();
        if (after !== '' && !after.startsWith('#')) fail(`unexpected text after the closing ${quote}`);
        break;
      }
      value += `${quote === '"' ? unescapeDouble(text) : text}\n`;
      index += 1;
      if (index >= lines.length) fail(`the ${quote} opened here is never closed`);
      text = lines[index]!;
    }
    entries.push({ key, value, line: lineNumber });
  }
  return entries;
}

function findClosingQuote(text: string, quote: string): number {
  for (let i = 0; i < text.length; i++) {
    if (quote === '"' && text[i] === '\\') i += 1;
    else if (text[i] === quote) return i;
  }
  return -1;
}

function unescapeDouble(text: string): string {
  return text.replace(/\\(.)/g, (sequence, char: string) => DOUBLE_QUOTE_ESCAPES[char] ?? sequence);
}

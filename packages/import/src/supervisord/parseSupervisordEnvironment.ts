const WORD_CHARS = /[A-Za-z0-9_/.+\-():]/;

/**
 * supervisord's `environment = A="1",B=two`: Python's non-POSIX shlex with supervisord's extra word
 * characters ("/.+-():"), tokens KEY = VALUE separated by one token (","), quotes stripped from
 * the value's ends. Returns the pairs, or a message as supervisord would refuse the value.
 */
export function parseSupervisordEnvironment(text: string): { ok: true; pairs: Array<[string, string]> } | { ok: false; error: string } {
  const tokens = shlexNonPosix(text);
  const pairs: Array<[string, string]> = [];
  for (let i = 0; i < tokens.length; i += 4) {
    const [key, equals, value] = tokens.slice(i, i + 3);
    if (key === undefined || equals !== '=' || value === undefined) {
      return { ok: false, error: `unexpected end of key/value pairs in ${JSON.stringify(text)}` };
    }
    pairs.push([key, value.replace(/^['"]+|['"]+$/g, '')]);
  }
  return { ok: true, pairs };
}

function shlexNonPosix(text: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < text.length) {
    const char = text[i]!;
    if (/\s/.test(char)) {
      i++;
    } else if (char === '#') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (char === '"' || char === "'") {
      const close = text.indexOf(char, i + 1);
      const end = close === -1 ? text.length : close + 1;
      tokens.push(text.slice(i, end));
      i = end;
    } else if (WORD_CHARS.test(char)) {
      let end = i;
      while (end < text.length && (WORD_CHARS.test(text[end]!) || text[end] === '"' || text[end] === "'")) end++;
      tokens.push(text.slice(i, end));
      i = end;
    } else {
      tokens.push(char);
      i++;
    }
  }
  return tokens;
}

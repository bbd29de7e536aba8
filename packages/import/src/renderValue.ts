/**
 * A value as usrsvc's configobj reader gives it back unchanged: quoted when it has a " #" comment
 * start, surrounding spaces or quotes; undefined when it cannot be written (a newline, or both kinds
 * of quote around a comment start).
 */
export function renderValue(text: string): string | undefined {
  if (/[\r\n]/.test(text)) return undefined;
  const needsQuotes = /(^|\s)#/.test(text) || text !== text.trim() || /^["']/.test(text);
  if (!needsQuotes) return text;
  if (!text.includes("'")) return `'${text}'`;
  if (!text.includes('"')) return `"${text}"`;
  return undefined;
}

/** An environment variable name usrsvc can write as an [[Env]] key. */
export function isEnvName(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name);
}

/** One Python %-conversion of a number or text: "%02d" of 3 is "03", "%s" of "a" is "a". */
export function formatPython(conversion: string, value: string | number): string {
  const match = /^%([-#0 +]*)(\d*)(?:\.(\d+))?([sdri])$/.exec(conversion);
  if (!match) return String(value);
  const [, flags = '', width = '', , type] = match;
  let text = type === 'd' || type === 'i' ? String(Math.trunc(Number(value))) : String(value);
  if ((type === 'd' || type === 'i') && flags.includes('+') && Number(value) >= 0) text = `+${text}`;
  const size = Number(width || 0);
  if (text.length >= size) return text;
  if (flags.includes('-')) return text.padEnd(size);
  if (flags.includes('0') && type !== 's') {
    const sign = /^[-+]/.test(text) ? text[0]! : '';
    return sign + text.slice(sign.length).padStart(size - sign.length, '0');
  }
  return text.padStart(size);
}

export type PythonFormatValue = string | number | ((spec: string) => string);

/**
 * Python's `text % mapping` as supervisord uses it: %(name)s, %(name)02d, %%. Returns the
 * expanded text or the name that has no value.
 */
export function expandPythonMapping(
  text: string,
  values: (name: string) => PythonFormatValue | undefined,
): { ok: true; text: string } | { ok: false; missing: string } {
  let missing: string | undefined;
  const expanded = text.replace(/%(?:%|\(([^)]*)\)([-#0 +]*\d*(?:\.\d+)?[sdri]))/g, (all, name: string | undefined, spec: string) => {
    if (all === '%%') return '%';
    const value = values(name!);
    if (value === undefined) {
      missing ??= name!;
      return all;
    }
    return typeof value === 'function' ? value(spec) : formatPython(`%${spec}`, value);
  });
  return missing === undefined ? { ok: true, text: expanded } : { ok: false, missing };
}

/**
 * Parses `http_expect_status`: a comma-separated list of status codes (`200`, `204`) and classes
 * (`2xx`, `3xx`). Returns a predicate, or an error message.
 */
export function parseExpectStatus(value: unknown): ((status: number) => boolean) | string {
  const text = Array.isArray(value) ? value.join(',') : String(value ?? '');
  const items = text.split(',').map((item) => item.trim().toLowerCase()).filter((item) => item !== '');
  if (items.length === 0) return 'must list status codes or classes, e.g. "200" or "2xx,301"';
  const codes = new Set<number>();
  const classes = new Set<number>();
  for (const item of items) {
    if (/^[1-5]xx$/.test(item)) classes.add(Number(item[0]));
    else if (/^[1-5]\d\d$/.test(item)) codes.add(Number(item));
    else return `${JSON.stringify(item)} is not a status code (100-599) or class (1xx-5xx)`;
  }
  return (status) => codes.has(status) || classes.has(Math.floor(status / 100));
}

export function validateExpectStatus(value: unknown): string | undefined {
  const parsed = parseExpectStatus(value);
  return typeof parsed === 'string' ? parsed : undefined;
}

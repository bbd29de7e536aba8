// How the bench's tables show a figure: one place for both tables (table.mjs, scale.mjs).

const missing = (v) => v === undefined || Number.isNaN(v);

export const ms = (v) => (missing(v) ? '—' : v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(1)} ms`);
export const pct = (v) => (missing(v) ? '—' : `${v.toFixed(3)} %`);
export const mb = (v) => (missing(v) ? '—' : `${(v / 1024).toFixed(1)} MB`);
export const count = (v) => (missing(v) ? '—' : String(v));
export const load = (v) => (missing(v) ? '—' : v.toFixed(2));

/** A median with its quartiles when the result has them (`<key>Spread`): "68.2 ms [61.0-74.9]". */
export function cell(result, key, format) {
  const value = format(result[key]);
  const spread = result[`${key}Spread`];
  if (!Array.isArray(spread) || format !== ms) return value;
  return `${value} [${spread.map((v) => (v >= 1000 ? (v / 1000).toFixed(2) : v.toFixed(1))).join('-')}]`;
}

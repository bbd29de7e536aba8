/**
 * How the CLI (status table, details) and the web page write a duration and a memory size; also
 * `@usrsvc/api/format`, which pulls in nothing else (the page bundles it for the browser).
 */

/** "3d 4h", "2h 5m", "5m 3s", "12s": the two largest units, as a person reads an uptime. */
export function formatDuration(totalSeconds: number): string {
  const seconds = Math.max(0, Math.floor(totalSeconds));
  const units: Array<[string, number]> = [
    ['d', Math.floor(seconds / 86_400)],
    ['h', Math.floor((seconds % 86_400) / 3_600)],
    ['m', Math.floor((seconds % 3_600) / 60)],
    ['s', seconds % 60],
  ];
  const first = units.findIndex(([, amount]) => amount > 0);
  if (first === -1) return '0s';
  return units
    .slice(first, first + 2)
    .filter(([, amount], index) => index === 0 || amount > 0)
    .map(([unit, amount]) => `${amount}${unit}`)
    .join(' ');
}

/** Resident memory from kB: "812 kB", "12.3 MB", "1.20 GB". */
export function formatMemory(kb: number): string {
  if (kb < 1024) return `${kb} kB`;
  const mb = kb / 1024;
  if (mb < 1024) return `${mb.toFixed(1)} MB`;
  return `${(mb / 1024).toFixed(2)} GB`;
}

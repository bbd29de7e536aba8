import path from 'node:path';

const inUse = new Set<string>();

/**
 * Reserves a name beside `file` for its next content: same folder (so the rename is atomic),
 * hidden and ending in `.tmp` (so a folder reader such as node_exporter's textfile collector
 * skips it): `.<name>.<pid>.tmp`, the same for every write of this process (so an error that
 * names it reads the same each time), with a number added while another write of ours uses it.
 * Give it back with releaseTemporaryPath.
 */
export function reserveTemporaryPath(file: string): string {
  const base = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}`);
  let candidate = `${base}.tmp`;
  for (let n = 2; inUse.has(candidate); n += 1) candidate = `${base}.${n}.tmp`;
  inUse.add(candidate);
  return candidate;
}

export function releaseTemporaryPath(temporary: string): void {
  inUse.delete(temporary);
}

import { AT_CLKTCK, AT_PAGESZ, auxiliaryVector } from './auxv.js';

let cachedTicks: number | undefined;
let cachedPageSize: number | undefined;

/** USER_HZ, the unit of /proc/<pid>/stat times: AT_CLKTCK from auxv, else `getconf CLK_TCK`, else 100. */
export function clockTicksPerSecond(): number {
  if (cachedTicks === undefined) cachedTicks = auxiliaryVector()?.get(AT_CLKTCK) ?? getconf('CLK_TCK') ?? 100;
  return cachedTicks;
}

/** The memory page size in bytes: AT_PAGESZ from auxv, else `getconf PAGESIZE`, else 4096. */
export function pageSize(): number {
  if (cachedPageSize === undefined) cachedPageSize = auxiliaryVector()?.get(AT_PAGESZ) ?? getconf('PAGESIZE') ?? 4096;
  return cachedPageSize;
}

/** The fallback without auxv; node:child_process is loaded only then (it costs ~2 ms of every CLI start-up). */
function getconf(name: string): number | undefined {
  try {
    const { execFileSync } = process.getBuiltinModule('node:child_process');
    const value = Number.parseInt(execFileSync('getconf', [name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }), 10);
    return value > 0 ? value : undefined;
  } catch {
    return undefined;
  }
}

import type { PackedProcReader } from '@usrsvc/procscan';
import { loadBinding } from './addon.js';

/**
 * A PackedProcReader that reads /proc on libuv's thread pool (native/procread.c): a daemon's
 * snapshots then leave its event loop free but for parsing. Undefined without the addon.
 */
export function nativeProcReader(): PackedProcReader | undefined {
  const { binding } = loadBinding();
  if (!binding) return undefined;
  return (uid, exactRss) => binding.readProcAsync(uid ?? -1, exactRss);
}

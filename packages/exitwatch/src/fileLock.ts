import { loadBinding } from './addon.js';

/** flock(2) LOCK_EX | LOCK_NB on a descriptor: true when taken (or already ours), false when busy. */
export type TryLockFile = (fd: number) => boolean;

/**
 * The native non-blocking flock(2) when the addon is built, else undefined (the launcher then
 * takes the same kernel lock through flock(1)). A lock taken this way is released by the kernel
 * when the descriptor is closed or its holder dies, however it dies.
 */
export function nativeTryLockFile(): TryLockFile | undefined {
  const { binding } = loadBinding();
  if (!binding) return undefined;
  return (fd) => binding.tryLockExclusive(fd);
}

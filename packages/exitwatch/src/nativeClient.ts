import { loadBinding } from './addon.js';

/**
 * What a short-lived command needs to ask a local daemon one thing, without node:tty and node:net
 * (they load the stream modules, and a socket answers through turns of the event loop).
 */
export interface NativeClient {
  /** isatty(3). */
  isTerminal(fd: number): boolean;
  /**
   * Connects to the Unix stream socket at `path`, sends `request` and returns everything read
   * until the peer closes, blocking, all within `timeoutMs`. Throws an Error with `code`
   * ('ENOENT', 'ECONNREFUSED', 'ETIMEDOUT'...), `errno` and `syscall` ('connect', 'write', 'read').
   */
  unixExchange(path: string, request: Buffer, timeoutMs: number): Buffer;
}

/** The addon's client calls when it is built, else undefined (use node:tty and node:net). */
export function nativeClient(): NativeClient | undefined {
  const { binding } = loadBinding();
  if (!binding) return undefined;
  return { isTerminal: (fd) => binding.isTerminal(fd), unixExchange: (path, request, timeoutMs) => binding.unixExchange(path, request, timeoutMs) };
}

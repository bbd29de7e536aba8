import { AlertTimeoutError } from './errors.js';

/** Rejects with AlertTimeoutError when `promise` has not settled within timeoutMs; the timer never holds the process open. */
export function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AlertTimeoutError(what, timeoutMs)), timeoutMs);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

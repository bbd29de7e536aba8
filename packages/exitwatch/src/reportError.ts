/**
 * Calls a user callback; an exception it throws becomes an uncaught exception (as from a timer
 * callback) without stopping the caller, which may have other callbacks to run.
 */
export function invokeCallback(callback: () => void): void {
  try {
    callback();
  } catch (error) {
    process.nextTick(() => {
      throw error;
    });
  }
}

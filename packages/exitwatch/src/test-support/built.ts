/** What a native* lookup found, or a failed test saying why it found nothing: the addon is not built. */
export function built<T>(found: T | undefined): T {
  if (found === undefined) throw new Error('the native addon is not built: run the package build');
  return found;
}

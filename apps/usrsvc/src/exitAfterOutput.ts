/**
 * process.exit(code) once stdout and stderr have handed everything to the OS. process.exit alone
 * drops what a full pipe has not taken yet: `usrsvc status --json | jq` at 200 programs got 64 KiB.
 * A reader that went away (EPIPE) ends the wait too. `streams`: those that may hold output (asking
 * for process.stderr creates it).
 */
export function exitAfterOutput(code: number, streams: readonly NodeJS.WriteStream[] = [process.stdout, process.stderr]): void {
  const pending = streams.filter((stream) => stream.writableLength > 0);
  let left = pending.length;
  if (left === 0) process.exit(code);
  process.exitCode = code;
  for (const stream of pending) {
    const done = () => {
      left -= 1;
      if (left === 0) process.exit(code);
    };
    stream.once('drain', done);
    stream.once('error', () => process.exit(code));
  }
}

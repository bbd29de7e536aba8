/** Yields values from several async iterables as they come; ends when all have ended. */
export async function* mergeAsync<T>(sources: AsyncIterable<T>[]): AsyncGenerator<T> {
  const iterators = sources.map((source) => source[Symbol.asyncIterator]());
  const pending = new Map<number, Promise<{ index: number; result: IteratorResult<T> }>>();
  const next = (index: number) => {
    pending.set(
      index,
      iterators[index]!.next().then((result) => ({ index, result })),
    );
  };
  for (let index = 0; index < iterators.length; index += 1) next(index);
  try {
    while (pending.size > 0) {
      const { index, result } = await Promise.race(pending.values());
      if (result.done) {
        pending.delete(index);
        continue;
      }
      next(index);
      yield result.value;
    }
  } finally {
    // Not awaited: a source waiting for input ends when its own signal aborts.
    for (const iterator of iterators) void iterator.return?.(undefined)?.catch?.(() => undefined);
  }
}

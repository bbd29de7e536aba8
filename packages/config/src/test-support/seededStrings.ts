/** Reproducible random strings over an alphabet (a linear congruential generator from a seed). */
export function seededStrings(seed: number, alphabet: readonly string[], maxLength: number): () => string {
  let state = seed;
  const next = () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state;
  };
  return () => Array.from({ length: 1 + (next() % maxLength) }, () => alphabet[next() % alphabet.length]).join('');
}

/** What a function returns, or "throws MESSAGE": two implementations compared outcome by outcome. */
export function outcomeOf<T>(run: () => T): T | string {
  try {
    return run();
  } catch (error) {
    return `throws ${(error as Error).message}`;
  }
}

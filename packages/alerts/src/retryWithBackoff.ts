/** Every attempt failed: how many were made, and the last error. */
export class RetriesExhausted extends Error {
  constructor(
    readonly attempts: number,
    readonly lastError: unknown,
  ) {
    super(lastError instanceof Error ? lastError.message : String(lastError));
    this.name = 'RetriesExhausted';
  }
}

export interface RetryOptions {
  /** Retries after the first attempt. */
  retries: number;
  /** Wait before the first retry; doubled for each next one. */
  delayMs: number;
  sleep(ms: number): Promise<void>;
  /** Checked after each failure and each wait: true stops retrying. */
  stopped(): boolean;
  onRetry?(attempt: number, error: unknown, delayMs: number): void;
}

/** Runs `attempt` until it resolves; throws RetriesExhausted after retries + 1 failures or once stopped. */
export async function retryWithBackoff<R>(attempt: (n: number) => Promise<R>, options: RetryOptions): Promise<R> {
  let delayMs = options.delayMs;
  for (let n = 1; ; n += 1) {
    try {
      return await attempt(n);
    } catch (error) {
      if (n > options.retries || options.stopped()) throw new RetriesExhausted(n, error);
      options.onRetry?.(n, error, delayMs);
      await options.sleep(delayMs);
      if (options.stopped()) throw new RetriesExhausted(n, new Error('the alerter was closed before the next attempt'));
      delayMs *= 2;
    }
  }
}

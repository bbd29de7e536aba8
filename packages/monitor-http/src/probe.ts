/** The result of one request to the health endpoint. */
export type ProbeResult = { ok: true; status: number } | { ok: false; reason: string };

/**
 * One GET of `url` with Node's fetch. Fails on a network error, no answer within `timeoutMs`, an
 * abort of `signal`, or a status `expect` rejects. Redirects are not followed (a 3xx is the answer).
 * The body is discarded.
 */
export async function probe(
  url: string,
  expect: (status: number) => boolean,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<ProbeResult> {
  const timeout = AbortSignal.timeout(timeoutMs);
  let response: Response;
  try {
    response = await fetch(url, {
      signal: AbortSignal.any([signal, timeout]),
      redirect: 'manual',
      headers: { 'user-agent': 'usrsvc-monitor-http', accept: '*/*' },
    });
  } catch (error) {
    if (timeout.aborted) return { ok: false, reason: `no answer within ${timeoutMs / 1000} s` };
    if (signal.aborted) return { ok: false, reason: 'no answer before the check was aborted (monitor_timeout)' };
    return { ok: false, reason: `request failed: ${describeFetchError(error)}` };
  }
  response.body?.cancel().catch(() => undefined);
  if (!expect(response.status)) return { ok: false, reason: `status ${response.status}` };
  return { ok: true, status: response.status };
}

function describeFetchError(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  if (cause && typeof cause.code === 'string') return `${cause.code}${typeof cause.message === 'string' ? ` (${cause.message})` : ''}`;
  if (cause && typeof cause.message === 'string') return cause.message;
  return error instanceof Error ? error.message : String(error);
}

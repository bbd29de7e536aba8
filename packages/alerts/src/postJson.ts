import { HttpDeliveryError } from './errors.js';

export interface PostJsonOptions {
  headers?: Record<string, string>;
  timeoutMs: number;
}

/**
 * POSTs `body` (already serialized JSON) with Node's fetch; resolves on 2xx. Throws HttpDeliveryError
 * for any other status (with the start of the answer), a connection failure or the timeout.
 */
export async function postJson(url: string, body: string, where: string, options: PostJsonOptions): Promise<void> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'usrsvcd', ...options.headers },
      body,
      signal: AbortSignal.timeout(options.timeoutMs),
      redirect: 'error',
    });
  } catch (error) {
    throw new HttpDeliveryError(where, describeFetchError(error, options.timeoutMs));
  }
  const text = await response.text().catch(() => '');
  if (!response.ok) {
    throw new HttpDeliveryError(where, `HTTP ${response.status}${text.trim() ? `: ${text.trim().slice(0, 200)}` : ''}`, response.status);
  }
}

/** fetch's "fetch failed" hides the reason in `cause` (ECONNREFUSED, ENOTFOUND...). */
function describeFetchError(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return `no answer within ${timeoutMs} ms`;
  const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  if (cause?.code) return cause.message?.includes(cause.code) ? cause.message : `${cause.code}${cause.message ? ` (${cause.message})` : ''}`;
  return error instanceof Error ? (cause?.message ?? error.message) : String(error);
}

/** A URL for logs: no credentials, query or path beyond the first segment (webhook paths often hold tokens). */
export function redactHttpUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const segments = parsed.pathname.split('/').filter((segment) => segment !== '');
    const path = segments.length === 0 ? '' : segments.length === 1 ? `/${segments[0]}` : `/${segments[0]}/***`;
    return `${parsed.protocol}//${parsed.host}${path}`;
  } catch {
    return '(invalid URL)';
  }
}

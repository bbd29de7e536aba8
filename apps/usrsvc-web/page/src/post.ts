/** A state change: POST with the anti-CSRF header (the server also checks Origin); resolves with the JSON body. */
export async function post<T>(path: string): Promise<T> {
  const response = await fetch(path, { method: 'POST', headers: { 'X-Usrsvc-CSRF': '1' }, credentials: 'same-origin' });
  const body = (await response.json().catch(() => ({}))) as T & { error?: { message: string } };
  if (!response.ok) throw new Error(body.error?.message ?? `${response.status} ${response.statusText}`);
  return body;
}

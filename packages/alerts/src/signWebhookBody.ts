import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header usrsvcd signs webhook bodies in. */
export const WEBHOOK_SIGNATURE_HEADER = 'X-Usrsvc-Signature';

/** `sha256=<hex HMAC-SHA256 of the body with the secret>`, as GitHub signs its webhooks. */
export function signWebhookBody(body: string | Buffer, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** For receivers: true when `signature` (the header's value) is the body's, compared in constant time. */
export function verifyWebhookSignature(body: string | Buffer, secret: string, signature: string | undefined | null): boolean {
  if (typeof signature !== 'string') return false;
  const expected = Buffer.from(signWebhookBody(body, secret));
  const given = Buffer.from(signature.trim());
  return given.length === expected.length && timingSafeEqual(given, expected);
}

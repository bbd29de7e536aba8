import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { type Access, type WebTokens, accessOf } from './tokens.js';

export interface GuardOptions {
  tokens: WebTokens;
  allowedHosts: Set<string>;
  /** "http" or "https": what a same-origin request's Origin starts with. */
  scheme: 'http' | 'https';
  cookieName: string;
  /** Told of every refused request (401, 403). */
  onRefused(status: 401 | 403, reason: string, c: Context): void;
}

/** The header a state-changing request must carry: a page of another origin cannot set it without CORS, which this server never grants. */
export const CSRF_HEADER = 'x-usrsvc-csrf';

export type GuardEnv = { Variables: { access: Access } };

/**
 * Every request: a known Host (no DNS rebinding), a token (cookie or Bearer; `/?token=` is
 * exchanged for the cookie and dropped from the URL), and for anything but GET/HEAD: POST only,
 * the anti-CSRF header, a same-origin Origin, and a token that may act.
 */
export function guard(options: GuardOptions): MiddlewareHandler<GuardEnv> {
  const refuse = (c: Context, status: 401 | 403, reason: string) => {
    options.onRefused(status, reason, c);
    // A person opening the page gets a sentence; programs get the API's error body.
    if (new URL(c.req.url).pathname === '/' && status === 401) {
      return c.text('usrsvc-web: not signed in. Open the address that `usrsvc-web url` prints.\n', status);
    }
    return c.json({ error: { code: status === 401 ? 'unauthorized' : 'forbidden', message: reason } }, status);
  };

  return async (c, next) => {
    const host = (c.req.header('host') ?? '').toLowerCase();
    if (!options.allowedHosts.has(host)) return refuse(c, 403, `unknown Host ${JSON.stringify(host)}`);

    const url = new URL(c.req.url);
    const method = c.req.method;
    const queryToken = url.searchParams.get('token');
    if (queryToken !== null && url.pathname === '/' && method === 'GET') {
      const access = accessOf(options.tokens, queryToken);
      if (!access || access === 'metrics') return refuse(c, 401, 'wrong token in the URL');
      setCookie(c, options.cookieName, queryToken, {
        httpOnly: true,
        sameSite: 'Strict',
        path: '/',
        secure: options.scheme === 'https',
      });
      return c.redirect('/', 303);
    }

    const bearer = /^Bearer (\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
    if (isSupervisorPath(url.pathname)) return supervisorGuard(c, next, options, refuse, method);
    const cookie = getCookie(c, options.cookieName);
    const access = accessOf(options.tokens, bearer ?? cookie);
    if (!access) return refuse(c, 401, bearer || cookie ? 'wrong token' : 'no token');
    if (access === 'metrics' && url.pathname !== '/metrics') return refuse(c, 401, 'the metrics token reads /metrics only');

    if (method !== 'GET' && method !== 'HEAD') {
      if (method !== 'POST') return c.json({ error: { code: 'method-not-allowed', message: `${method} is not allowed` } }, 405);
      const origin = c.req.header('origin');
      if (origin !== undefined && origin !== `${options.scheme}://${host}`) return refuse(c, 403, `foreign Origin ${JSON.stringify(origin)}`);
      if (origin === undefined && bearer === undefined) return refuse(c, 403, 'no Origin on a request authenticated by cookie');
      const fetchSite = c.req.header('sec-fetch-site');
      if (fetchSite !== undefined && fetchSite !== 'same-origin' && fetchSite !== 'none') return refuse(c, 403, `Sec-Fetch-Site ${fetchSite}`);
      if (c.req.header(CSRF_HEADER) !== '1') return refuse(c, 403, `no ${CSRF_HEADER} header`);
      if (access !== 'admin') return refuse(c, 403, 'a read-only token cannot act');
    }
    c.set('access', access);
    await next();
  };
}

/** supervisor's XML-RPC paths (supervisorctl, Ansible): HTTP Basic auth, any user name, a token as the password. */
export function isSupervisorPath(pathname: string): boolean {
  return pathname === '/RPC2' || pathname === '/mainlogtail' || pathname.startsWith('/logtail/');
}

/**
 * The XML-RPC client sends Basic credentials with every request (this server never asks a browser
 * for them: no WWW-Authenticate, so no browser holds them to replay). A POST must be text/xml,
 * which a page of another origin cannot send without a CORS preflight this server never grants,
 * and must not come from a foreign Origin. Which methods a read-only token may call is the
 * route's to decide (it parses the call).
 */
async function supervisorGuard(
  c: Context<GuardEnv>,
  next: () => Promise<void>,
  options: GuardOptions,
  refuse: (c: Context, status: 401 | 403, reason: string) => Response,
  method: string,
): Promise<Response | undefined> {
  const basic = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
  const decoded = basic ? Buffer.from(basic, 'base64').toString('utf8') : undefined;
  const password = decoded?.includes(':') ? decoded.slice(decoded.indexOf(':') + 1) : undefined;
  const access = accessOf(options.tokens, password);
  if (!access || access === 'metrics') return refuse(c, 401, basic ? 'wrong token (Basic auth)' : 'no token (Basic auth: any user, a token as the password)');
  if (method !== 'GET' && method !== 'HEAD') {
    if (method !== 'POST') return c.json({ error: { code: 'method-not-allowed', message: `${method} is not allowed` } }, 405);
    const host = (c.req.header('host') ?? '').toLowerCase();
    const origin = c.req.header('origin');
    if (origin !== undefined && origin !== `${options.scheme}://${host}`) return refuse(c, 403, `foreign Origin ${JSON.stringify(origin)}`);
    if (!/^text\/xml\b/i.test(c.req.header('content-type') ?? '')) return refuse(c, 403, 'XML-RPC requests must be text/xml');
  }
  c.set('access', access);
  await next();
  return undefined;
}

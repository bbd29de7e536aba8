import fs from 'node:fs';
import net from 'node:net';
import { parseHostPort } from '@usrsvc/config';
import { ListenRefusedError } from './errors.js';

export const DEFAULT_LISTEN = '127.0.0.1:9715';

export interface ListenRequest {
  /** "HOST:PORT" from --listen, else [Main] web_listen, else DEFAULT_LISTEN. */
  listen?: string;
  allowRemote?: boolean;
  tlsCert?: string;
  tlsKey?: string;
  /** Extra names the page may be reached by (Host header), for a remote listen. */
  serverNames?: string[];
}

export interface ListenPlan {
  host: string;
  port: number;
  loopback: boolean;
  tls?: { cert: Buffer; key: Buffer };
  /** Host header values accepted (lower case, with port); anything else is refused (DNS rebinding). */
  allowedHosts: Set<string>;
  /** The origin the page is opened at (what `usrsvc-web url` prints). */
  origin: string;
}

export function isLoopbackHost(host: string): boolean {
  if (host === 'localhost') return true;
  if (net.isIPv4(host)) return host.startsWith('127.');
  return host === '::1';
}

/** Decides where and how to listen; throws ListenRefusedError for an unsafe request. */
export function planListen(request: ListenRequest): ListenPlan {
  const listen = request.listen ?? DEFAULT_LISTEN;
  const parsed = parseHostPort(listen);
  if (!parsed) throw new ListenRefusedError(listen, 'not HOST:PORT (e.g. 127.0.0.1:9715)');
  const { host, port } = parsed;
  const loopback = isLoopbackHost(host);
  if ((request.tlsCert === undefined) !== (request.tlsKey === undefined)) {
    throw new ListenRefusedError(listen, 'TLS needs both a certificate and a key');
  }
  const tls = request.tlsCert && request.tlsKey ? { cert: fs.readFileSync(request.tlsCert), key: fs.readFileSync(request.tlsKey) } : undefined;
  if (!loopback) {
    if (!tls) throw new ListenRefusedError(listen, 'not a loopback address, and no TLS certificate and key are configured');
    if (!request.allowRemote) throw new ListenRefusedError(listen, 'not a loopback address; add --allow-remote to serve other hosts');
  }
  const names = new Set<string>(request.serverNames ?? []);
  const wildcard = host === '0.0.0.0' || host === '::';
  if (loopback) for (const name of ['127.0.0.1', 'localhost', '::1']) names.add(name);
  if (!wildcard) names.add(host);
  const defaultPort = tls ? 443 : 80;
  const allowedHosts = new Set<string>();
  for (const name of names) {
    const shown = name.includes(':') ? `[${name}]` : name;
    allowedHosts.add(`${shown}:${port}`.toLowerCase());
    if (port === defaultPort) allowedHosts.add(shown.toLowerCase());
  }
  const first = wildcard ? (request.serverNames?.[0] ?? (host === '::' ? '::1' : '127.0.0.1')) : host;
  const shownFirst = first.includes(':') ? `[${first}]` : first;
  return { host, port, loopback, ...(tls ? { tls } : {}), allowedHosts, origin: `${tls ? 'https' : 'http'}://${shownFirst}:${port}` };
}

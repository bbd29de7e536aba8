import type http from 'node:http';

/** What a route handler gets: the parsed request and the raw response (for streams). */
export interface RouteRequest {
  params: Record<string, string>;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  request: http.IncomingMessage;
  response: http.ServerResponse;
  /** The request body, for a route that takes one (Route.maxBodyBytes); tooLarge past that limit. */
  body?: Buffer | { tooLarge: true };
}

/** A handler returns a value to send as JSON (200), STREAMED when it answered itself, or throws HttpError. */
export const STREAMED = Symbol('streamed');
export type RouteHandler = (request: RouteRequest) => unknown | Promise<unknown>;

export interface Route {
  method: 'GET' | 'POST';
  /** e.g. "/v1/programs/:name/logs"; a :param matches one non-empty path segment. */
  path: string;
  handler: RouteHandler;
  /** A route that takes a request body (POST /RPC2) reads at most this much; others take none. */
  maxBodyBytes?: number;
}

/** An answer other than 200, with the API's error code. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

interface Compiled extends Route {
  segments: string[];
}

export type RouteMatch = { kind: 'found'; route: Route; params: Record<string, string> } | { kind: 'no-method' } | { kind: 'none' };

/** The API's routes; features added later (logs, metrics) register theirs with add(). */
export class RouteTable {
  private readonly routes: Compiled[] = [];

  add(route: Route): this {
    this.routes.push({ ...route, segments: route.path.split('/').slice(1) });
    return this;
  }

  match(method: string, pathname: string): RouteMatch {
    const parts = pathname.split('/').slice(1);
    let pathMatched = false;
    for (const route of this.routes) {
      const params = matchSegments(route.segments, parts);
      if (!params) continue;
      if (route.method === method) return { kind: 'found', route, params };
      pathMatched = true;
    }
    return pathMatched ? { kind: 'no-method' } : { kind: 'none' };
  }
}

function matchSegments(pattern: string[], parts: string[]): Record<string, string> | undefined {
  if (pattern.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const expected = pattern[i]!;
    const part = parts[i]!;
    if (expected.startsWith(':')) {
      if (part === '') return undefined;
      try {
        params[expected.slice(1)] = decodeURIComponent(part);
      } catch {
        return undefined;
      }
    } else if (expected !== part) return undefined;
  }
  return params;
}

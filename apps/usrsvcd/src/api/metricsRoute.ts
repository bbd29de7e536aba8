import type { DaemonMetrics } from '../daemonMetrics.js';
import { type RouteTable, STREAMED } from './routeTable.js';

/** A scrape within this long of the previous one gets the same text (a flood costs one render). */
const METRICS_CACHE_MS = 1_000;

/** GET /metrics: Prometheus's text format (unversioned: the format is Prometheus's, not the API's). */
export function addMetricsRoute(routes: RouteTable, metrics: DaemonMetrics): RouteTable {
  let cached: { at: number; rendering: Promise<{ text: string; contentType: string }> } | undefined;
  return routes.add({
    method: 'GET',
    path: '/metrics',
    handler: async ({ response }) => {
      const now = Date.now();
      if (!cached || now - cached.at > METRICS_CACHE_MS) cached = { at: now, rendering: metrics.render() };
      const rendering = cached.rendering;
      const { text, contentType } = await rendering.catch((error: unknown) => {
        if (cached?.rendering === rendering) cached = undefined;
        throw error;
      });
      response.writeHead(200, { 'content-type': contentType, 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
      response.end(text);
      return STREAMED;
    },
  });
}

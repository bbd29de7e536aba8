import type { ProgramView } from '@usrsvc/api';
import { resultFromView, uptimeSecondsOfView } from './daemonView.js';

/** Each view's part of the array and the uptime it was made with. A view is never changed once built. */
const parts = new WeakMap<ProgramView, { uptimeSeconds: number | null; text: string }>();

/**
 * `JSON.stringify(views.map((view) => resultFromView(view, now)), null, 2)` and a newline, as it
 * is printed, made of one part per view, kept while the view object and its uptime stay the same.
 * usrsvcd answers every `status --json` from the same cached views for up to 500 ms (GET
 * /v1/programs's cache), so a burst of them (a dashboard, a monitoring loop, a script) stringifies
 * each program about once per cached set rather than once per request.
 */
export function resultsFromViewsJson(views: readonly ProgramView[], now = Date.now()): string {
  if (views.length === 0) return '[]\n';
  const texts = views.map((view) => {
    const uptimeSeconds = uptimeSecondsOfView(view, now);
    const kept = parts.get(view);
    if (kept && kept.uptimeSeconds === uptimeSeconds) return kept.text;
    // Its lines as they stand in the array, one level in: `[\n` and `\n]` cut off.
    const text = JSON.stringify([resultFromView(view, now)], null, 2).slice(2, -2);
    parts.set(view, { uptimeSeconds, text });
    return text;
  });
  // One join, so the 400 KB string is flat: a template would be flattened again by each reader.
  return ['[', texts.join(',\n'), ']\n'].join('\n');
}

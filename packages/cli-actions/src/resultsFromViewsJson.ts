import type { ProgramView } from '@usrsvc/api';
import { resultFromView, uptimeSecondsOfView } from './daemonView.js';

/** Each view's part of the array and the uptime it was made with. A view is never changed once built. */
const parts = new WeakMap<ProgramView, { uptimeSeconds: number | null; text: string }>();

/** By first view: the whole text last made of an array starting with it, and the views and uptimes it was made of (gone with that view, as its parts are). */
interface Whole {
  views: readonly ProgramView[];
  uptimes: readonly (number | null)[];
  text: string;
}
const wholes = new WeakMap<ProgramView, Whole>();

/**
 * `JSON.stringify(views.map((view) => resultFromView(view, now)), null, 2)` and a newline, as it
 * is printed, made of one part per view, kept while the view object and its uptime stay the same.
 * usrsvcd answers every `status --json` from the same cached views for up to 500 ms (GET
 * /v1/programs's cache), so a burst of them (a dashboard, a monitoring loop, a script) stringifies
 * each program about once per cached set rather than once per request, and joins the 400 KB once
 * per cached set and second: while every view and uptime is the last call's, its text is returned.
 */
export function resultsFromViewsJson(views: readonly ProgramView[], now = Date.now()): string {
  if (views.length === 0) return '[]\n';
  const uptimes = views.map((view) => uptimeSecondsOfView(view, now));
  const first = views[0]!;
  const whole = wholes.get(first);
  if (whole && sameParts(whole, views, uptimes)) return whole.text;
  const texts = views.map((view, index) => {
    const uptimeSeconds = uptimes[index] ?? null;
    const kept = parts.get(view);
    if (kept && kept.uptimeSeconds === uptimeSeconds) return kept.text;
    // Its lines as they stand in the array, one level in: `[\n` and `\n]` cut off.
    const text = JSON.stringify([resultFromView(view, now)], null, 2).slice(2, -2);
    parts.set(view, { uptimeSeconds, text });
    return text;
  });
  // One join, so the 400 KB string is flat: a template would be flattened again by each reader.
  const text = ['[', texts.join(',\n'), ']\n'].join('\n');
  wholes.set(first, { views: [...views], uptimes, text });
  return text;
}

function sameParts(made: Whole, views: readonly ProgramView[], uptimes: readonly (number | null)[]): boolean {
  return made.views.length === views.length && views.every((view, index) => view === made.views[index] && uptimes[index] === made.uptimes[index]);
}

import type { ActionResponse, DaemonEvent, DaemonView, ProgramAction, ProgramView, RereadOutcome } from '@usrsvc/api';
import { JsonText } from './apiServer.js';
import type { EventStreams } from './eventStream.js';
import { HttpError, type RouteTable, STREAMED } from './routeTable.js';

/** What the v1 routes read from and ask of the daemon. */
export interface DaemonApi {
  daemonView(): DaemonView;
  programViews(): ProgramView[];
  programView(name: string): ProgramView | undefined;
  /** `name` may be "all"; undefined when there is no such program. */
  act(name: string, action: ProgramAction): Promise<ActionResponse | undefined>;
  reread(): Promise<RereadOutcome>;
  /** Bumped on every state change: cached answers older than it are stale. */
  readonly version: number;
}

export const ACTION_LIMITS = { maxInFlight: 4 };
/** Program views are served from a cache this young when nothing changed (a flood costs one scan). */
const PROGRAMS_CACHE_MS = 500;

interface CachedPrograms {
  version: number;
  at: number;
  views: readonly ProgramView[];
  body?: JsonText;
}
const programsCache = new WeakMap<DaemonApi, CachedPrograms>();

function cachedPrograms(daemon: DaemonApi): CachedPrograms {
  const now = Date.now();
  let cached = programsCache.get(daemon);
  if (!cached || cached.version !== daemon.version || now - cached.at > PROGRAMS_CACHE_MS) {
    cached = { version: daemon.version, at: now, views: daemon.programViews() };
    programsCache.set(daemon, cached);
  }
  return cached;
}

/**
 * Every program's view, the same array for as long as it is cached: what GET /v1/programs sends
 * and what usrsvcd's own status answer reads (statusAnswerRoute). Views are plain JSON values, so
 * reading them here is reading what the CLI would receive (apps/usrsvc's
 * cli.daemonStatusAnswer.test.ts compares the two answers for every state).
 */
export function currentProgramViews(daemon: DaemonApi): readonly ProgramView[] {
  return cachedPrograms(daemon).views;
}

/** GET /v1/programs's answer, `{ programs: [...] }`, made from currentProgramViews once per cached set. */
function programsBody(daemon: DaemonApi): JsonText {
  const cached = cachedPrograms(daemon);
  cached.body ??= new JsonText(JSON.stringify({ programs: cached.views }));
  return cached.body;
}

/** Registers the v1 endpoints. */
export function addV1Routes(routes: RouteTable, daemon: DaemonApi, streams: EventStreams): RouteTable {
  let actionsInFlight = 0;
  const act = async (name: string, action: ProgramAction) => {
    if (actionsInFlight >= ACTION_LIMITS.maxInFlight) throw new HttpError(429, 'busy', `at most ${ACTION_LIMITS.maxInFlight} actions at once; try again`);
    actionsInFlight += 1;
    try {
      const response = await daemon.act(name, action);
      if (!response) throw new HttpError(404, 'no-such-program', `no program named ${JSON.stringify(name)}`);
      return response;
    } finally {
      actionsInFlight -= 1;
    }
  };
  routes
    .add({ method: 'GET', path: '/v1/daemon', handler: () => daemon.daemonView() })
    .add({
      method: 'GET',
      path: '/v1/programs',
      handler: () => programsBody(daemon),
    })
    .add({
      method: 'GET',
      path: '/v1/programs/:name',
      handler: ({ params }) => {
        const view = daemon.programView(params.name!);
        if (!view) throw new HttpError(404, 'no-such-program', `no program named ${JSON.stringify(params.name)}`);
        return view;
      },
    })
    .add({ method: 'POST', path: '/v1/reread', handler: () => daemon.reread() })
    .add({
      method: 'GET',
      path: '/v1/events',
      handler: ({ request, response, headers, query }) => {
        const header = headers['last-event-id'];
        streams.open(request, response, (Array.isArray(header) ? header[0] : header) ?? query.get('lastEventId') ?? undefined);
        return STREAMED;
      },
    });
  for (const action of ['start', 'stop', 'restart'] as const) {
    routes.add({ method: 'POST', path: `/v1/programs/:name/${action}`, handler: ({ params }) => act(params.name!, action) });
  }
  return routes;
}

export type { DaemonEvent };

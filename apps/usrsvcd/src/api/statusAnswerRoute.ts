import type { ProgramView } from '@usrsvc/api';
import { encodeStatusAnswer, STATUS_ANSWER_PATH, STATUS_REQUEST_MAX_BYTES } from '@usrsvc/cli-actions/statusRequest';
import { answerBytes, type SentAnswer } from './answerBytes.js';
import { HttpError, type RouteTable, STREAMED } from './routeTable.js';

/** What a status answer reads of usrsvcd's own state. */
export interface StatusAnswerSources {
  /** Every program's view, the same array while GET /v1/programs's cache holds it: what the CLI would have read. */
  programViews(): readonly ProgramView[];
  /** One program's view as GET /v1/programs/NAME gives it, built now; undefined for a name usrsvcd does not know. */
  programView(name: string): ProgramView | undefined;
  /** usrsvcd's own main config file. */
  ownConfigFile(): string;
}

/**
 * POST /v1/cli/status: `usrsvc status` answered here, so that the CLI loads a socket client and
 * not its bundle. The answer is what the CLI would print (@usrsvc/cli-actions runs the CLI's own
 * code: the config as it is on disk now, read again when a file of it changed, never applied to
 * supervision), or { answered: false } for whatever cannot be reproduced, and the CLI does it all
 * itself. Views are plain JSON values, what the CLI would have received; a status of named
 * programs builds only theirs, a status of all indexes the cached views once while they are cached
 * and sends the bytes it last sent from them when the answer is the same.
 * Only a status of usrsvcd's own main config is answered: as DESIGN.md says of the API, it never
 * takes a path to read; the path the CLI would read is only compared with `ownConfigFile`.
 */
export function addStatusAnswerRoute(routes: RouteTable, sources: StatusAnswerSources): RouteTable {
  // `sent`: the last answer of a status of all programs made from these views (answerBytes).
  type Indexed = { views: readonly ProgramView[]; programs: Map<string, ProgramView>; sent?: SentAnswer };
  let indexed: Indexed | undefined;
  const allPrograms = (): Indexed => {
    const views = sources.programViews();
    if (indexed?.views !== views) indexed = { views, programs: new Map(views.map((view) => [view.name, view])) };
    return indexed;
  };
  const namedPrograms = (names: readonly string[]): Map<string, ProgramView> => {
    const programs = new Map<string, ProgramView>();
    for (const name of names) {
      const view = sources.programView(name);
      if (view) programs.set(name, view);
    }
    return programs;
  };
  return routes.add({
    method: 'POST',
    path: STATUS_ANSWER_PATH,
    maxBodyBytes: STATUS_REQUEST_MAX_BYTES,
    handler: async ({ body, response }) => {
      if (!Buffer.isBuffer(body)) throw new HttpError(413, 'too-large', `a status request is at most ${STATUS_REQUEST_MAX_BYTES} bytes`);
      let request: unknown;
      try {
        request = JSON.parse(body.toString('utf8'));
      } catch {
        throw new HttpError(400, 'bad-request', 'the body is not JSON');
      }
      // Loaded at the first status asked, not at usrsvcd's start.
      const { answerStatusRequest } = await import('@usrsvc/cli-actions');
      let fromAll: Indexed | undefined;
      const answer = await answerStatusRequest(request, sources.ownConfigFile(), async (_env, names) => {
        if (names) return { running: true, programs: namedPrograms(names) };
        fromAll = allPrograms();
        return { running: true, programs: fromAll.programs };
      });
      let bytes: Buffer;
      if (fromAll) {
        fromAll.sent = answerBytes(fromAll.sent, answer);
        bytes = fromAll.sent.bytes;
      } else {
        bytes = encodeStatusAnswer(answer);
      }
      response.writeHead(200, { 'content-type': 'application/vnd.usrsvc.status-answer', 'content-length': bytes.length, 'cache-control': 'no-store' });
      response.end(bytes);
      return STREAMED;
    },
  });
}

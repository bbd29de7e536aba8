import type { ProgramView } from '@usrsvc/api';
import { encodeStatusAnswer, STATUS_ANSWER_PATH, STATUS_REQUEST_MAX_BYTES } from '@usrsvc/cli-actions/statusRequest';
import { HttpError, type RouteTable, STREAMED } from './routeTable.js';

/**
 * POST /v1/cli/status: `usrsvc status` answered here, so that the CLI loads a socket client and
 * not its bundle. The answer is what the CLI would print (@usrsvc/cli-actions runs the CLI's own
 * code: the config as it is on disk now, read again when a file of it changed, never applied to
 * supervision), or
 * { answered: false } for whatever cannot be reproduced, and the CLI does it all itself.
 * `programsText` is GET /v1/programs's body, its cache included: what the CLI would have read.
 * Only a status of usrsvcd's own main config is answered: as DESIGN.md says of the API, it never
 * takes a path to read; the path the CLI would read is only compared with `ownConfigFile`.
 */
export function addStatusAnswerRoute(routes: RouteTable, programsText: () => string, ownConfigFile: () => string): RouteTable {
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
      const answer = await answerStatusRequest(request, ownConfigFile(), async () => {
        const views = (JSON.parse(programsText()) as { programs: ProgramView[] }).programs;
        return { running: true, programs: new Map(views.map((view) => [view.name, view])) };
      });
      const bytes = encodeStatusAnswer(answer);
      response.writeHead(200, { 'content-type': 'application/vnd.usrsvc.status-answer', 'content-length': bytes.length, 'cache-control': 'no-store' });
      response.end(bytes);
      return STREAMED;
    },
  });
}

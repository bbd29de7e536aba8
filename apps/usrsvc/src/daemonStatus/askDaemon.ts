import net from 'node:net';
import { decodeStatusAnswer, STATUS_ANSWER_PATH, type StatusAnswer } from '@usrsvc/cli-actions/statusRequest';

/** Past this the CLI stops waiting and does the status itself. */
const ANSWER_TIMEOUT_MS = 2_000;

/**
 * POSTs the request to usrsvcd's API socket with one HTTP/1.1 exchange written by hand (node:http
 * costs more to load than the whole exchange) and resolves with its answer, or with why there is
 * none: no socket, an older usrsvcd (413: it takes no request body), anything unexpected.
 */
export function askDaemon(socket: string, request: unknown): Promise<StatusAnswer<Buffer>> {
  return new Promise((resolve) => {
    const body = Buffer.from(JSON.stringify(request), 'utf8');
    const chunks: Buffer[] = [];
    let settled = false;
    const done = (answer: StatusAnswer<Buffer>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      connection.destroy();
      resolve(answer);
    };
    const connection = net.connect(socket);
    const timer = setTimeout(() => done({ answered: false, why: 'no answer in time' }), ANSWER_TIMEOUT_MS);
    connection.on('error', (error) => done({ answered: false, why: error.message }));
    connection.on('data', (chunk: Buffer) => chunks.push(chunk));
    connection.on('end', () => done(parseResponse(Buffer.concat(chunks))));
    connection.on('close', () => done({ answered: false, why: 'connection closed' }));
    // Not end(): usrsvcd closes after its answer (Connection: close).
    connection.write(
      Buffer.concat([
        Buffer.from(`POST ${STATUS_ANSWER_PATH} HTTP/1.1\r\nHost: usrsvcd\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`, 'latin1'),
        body,
      ]),
    );
  });
}

/** A 200 with a Content-Length body holding an answer; anything else is no answer. */
export function parseResponse(response: Buffer): StatusAnswer<Buffer> {
  const end = response.indexOf('\r\n\r\n');
  if (end < 0) return { answered: false, why: 'incomplete answer' };
  const head = response.subarray(0, end).toString('latin1');
  const status = /^HTTP\/1\.1 (\d{3}) /.exec(head);
  if (!status) return { answered: false, why: 'not an HTTP answer' };
  if (status[1] !== '200') return { answered: false, why: `HTTP ${status[1]}` };
  if (!/\r\ncontent-type: *application\/vnd\.usrsvc\.status-answer\r?$/im.test(head)) return { answered: false, why: 'not a status answer' };
  const length = /\r\ncontent-length: *(\d+)\r?$/im.exec(head);
  const body = response.subarray(end + 4);
  if (!length || Number(length[1]) !== body.length) return { answered: false, why: 'answer of unexpected length' };
  return decodeStatusAnswer(body);
}

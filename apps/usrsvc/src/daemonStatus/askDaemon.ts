import { decodeStatusAnswer, STATUS_ANSWER_PATH, type StatusAnswer } from '@usrsvc/cli-actions/statusRequest';
import type { NativeClient } from '@usrsvc/exitwatch/nativeClient';

/** Past this the CLI stops waiting and does the status itself. */
const ANSWER_TIMEOUT_MS = 2_000;

/**
 * POSTs the request to usrsvcd's API socket with one HTTP/1.1 exchange written by hand (node:http
 * costs more to load than the whole exchange) and resolves with its answer, or with why there is
 * none: no socket, an older usrsvcd (413: it takes no request body), anything unexpected. The
 * exchange is the addon's blocking one when it is built, else node:net's.
 */
export async function askDaemon(socket: string, request: unknown, client: NativeClient | undefined): Promise<StatusAnswer<Buffer>> {
  const body = Buffer.from(JSON.stringify(request), 'utf8');
  const bytes = Buffer.concat([
    Buffer.from(`POST ${STATUS_ANSWER_PATH} HTTP/1.1\r\nHost: usrsvcd\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`, 'latin1'),
    body,
  ]);
  if (!client) return askOverNet(socket, bytes);
  try {
    return parseResponse(client.unixExchange(socket, bytes, ANSWER_TIMEOUT_MS));
  } catch (error) {
    // Worded as node:net words it ("connect ENOENT /path"), whichever way the exchange went.
    const { syscall, code } = error as NodeJS.ErrnoException;
    return { answered: false, why: syscall && code ? `${syscall} ${code} ${socket}` : String(error) };
  }
}

function askOverNet(socket: string, bytes: Buffer): Promise<StatusAnswer<Buffer>> {
  // Loaded here, not imported: the addon's exchange needs no node:net. Not import(): in the
  // CommonJS bin a dynamic import starts Node's ES module loader.
  const net = process.getBuiltinModule('node:net');
  return new Promise((resolve) => {
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
    connection.write(bytes);
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

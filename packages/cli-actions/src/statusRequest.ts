// usrsvcd answering `usrsvc status` itself: the request the bin's fast client sends and the answer
// it gets. Light on purpose (no imports): the client loads this module and little else.

/** POST it with a StatusRequest as JSON; the answer is a StatusAnswer (encodeStatusAnswer). An older usrsvcd answers 413 (it takes no request body). */
export const STATUS_ANSWER_PATH = '/v1/cli/status';
/** Larger requests are refused (a request is a few hundred bytes). */
export const STATUS_REQUEST_MAX_BYTES = 16 * 1024;

/**
 * The environment variables a status reads (config and state folder, colours, lock wait), sent with
 * each request, null when unset. The daemon declines a request whose status reads any other.
 */
export const STATUS_ENV_KEYS = ['HOME', 'USRSVC_CONFIG', 'XDG_RUNTIME_DIR', 'NO_COLOR', 'FORCE_COLOR', 'TERM', 'USRSVC_LOCK_TIMEOUT'] as const;

/** `usrsvc status [NAME] [--json] [-P] [--config FILE]`, as the CLI's own parser reads it. */
export interface StatusCommandLine {
  target?: string;
  json: boolean;
  parallel: boolean;
  configPath?: string;
}

export interface StatusRequest {
  version: 1;
  command: StatusCommandLine;
  env: Record<string, string | null>;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  /** The CLI's `new Date().getTimezoneOffset()`: its stamps are in its zone, not the daemon's. */
  utcOffsetMinutes: number;
  uid: number;
}

/**
 * What the CLI writes, in order (1 stdout, 2 stderr), and its exit code; or why the daemon declined.
 * The output is text where usrsvcd prints it, the bytes sent where the CLI receives it (decodeStatusAnswer).
 */
export type StatusAnswer<Output = string> = { answered: true; output: [1 | 2, Output][]; code: number } | { answered: false; why: string };

const FLAGS: Record<string, 'json' | 'parallel'> = { '--json': 'json', '--parallel': 'parallel', '-P': 'parallel' };

/**
 * The status command lines the daemon may answer: words and the flags above (each at most once)
 * and `--config FILE` with an absolute FILE, which the CLI's parser reads as the same invocation.
 * Undefined for anything else (other actions, --debug, help, two names...): the CLI's own path.
 */
export function parseStatusCommandLine(argv: readonly string[]): StatusCommandLine | undefined {
  const words: string[] = [];
  const line: StatusCommandLine = { json: false, parallel: false };
  const seen = new Set<string>();
  for (let i = 0; i < argv.length; i += 1) {
    const word = argv[i]!;
    if (!word.startsWith('-')) {
      words.push(word);
      continue;
    }
    if (word === '--config') {
      const file = argv[i + 1];
      if (file === undefined || !file.startsWith('/') || seen.has('config')) return undefined;
      seen.add('config');
      line.configPath = file;
      i += 1;
      continue;
    }
    const flag = FLAGS[word];
    if (!flag || seen.has(flag)) return undefined;
    seen.add(flag);
    line[flag] = true;
  }
  if (words[0] !== 'status' || words.length > 2 || words[1] === '') return undefined;
  if (words[1] !== undefined) line.target = words[1];
  return line;
}

/**
 * Why a status from this environment cannot be answered by another process, or undefined: a
 * relative HOME, USRSVC_CONFIG or XDG_RUNTIME_DIR would be read from the CLI's working folder.
 */
export function environmentProblem(env: Readonly<Record<string, string | null | undefined>>): string | undefined {
  for (const key of ['HOME', 'USRSVC_CONFIG', 'XDG_RUNTIME_DIR'] as const) {
    const value = env[key];
    if (value !== undefined && value !== null && value !== '' && !value.startsWith('/')) return `${key} is not an absolute path`;
  }
  return undefined;
}

/**
 * The answer as sent: one line of JSON (`code` and each chunk's fd and byte length, or `why`),
 * then the chunks' bytes as they are. 400 KB of `--json` would cost more to escape into JSON and
 * parse back than to send.
 */
export function encodeStatusAnswer(answer: StatusAnswer): Buffer {
  if (!answer.answered) return Buffer.from(`${JSON.stringify({ answered: false, why: answer.why })}\n`, 'utf8');
  // Encoded once, into the buffer that is sent: no copy of the 400 KB.
  const lengths = answer.output.map(([, text]) => Buffer.byteLength(text, 'utf8'));
  const head = `${JSON.stringify({ answered: true, code: answer.code, output: answer.output.map(([fd], i) => [fd, lengths[i]]) })}\n`;
  const headLength = Buffer.byteLength(head, 'utf8');
  const bytes = Buffer.allocUnsafe(lengths.reduce((sum, length) => sum + length, headLength));
  let offset = bytes.write(head, 0, 'utf8');
  for (const [, text] of answer.output) offset += bytes.write(text, offset, 'utf8');
  return bytes;
}

/**
 * encodeStatusAnswer's bytes back, or { answered: false } for anything that is not exactly that.
 * The output stays bytes, views of `body`: the CLI writes them as they came.
 */
export function decodeStatusAnswer(body: Buffer): StatusAnswer<Buffer> {
  const newline = body.indexOf(10);
  if (newline < 0) return { answered: false, why: 'malformed answer' };
  let head: { answered?: unknown; why?: unknown; code?: unknown; output?: unknown };
  try {
    head = JSON.parse(body.subarray(0, newline).toString('utf8')) as typeof head;
  } catch {
    return { answered: false, why: 'malformed answer' };
  }
  if (head?.answered !== true) return { answered: false, why: typeof head?.why === 'string' ? `declined: ${head.why}` : 'declined' };
  const code = head.code;
  if (typeof code !== 'number' || !Number.isInteger(code) || code < 0 || code > 255 || !Array.isArray(head.output)) return { answered: false, why: 'malformed answer' };
  const output: [1 | 2, Buffer][] = [];
  let offset = newline + 1;
  for (const item of head.output as unknown[]) {
    if (!Array.isArray(item) || (item[0] !== 1 && item[0] !== 2) || !Number.isInteger(item[1]) || item[1] < 0 || offset + item[1] > body.length) return { answered: false, why: 'malformed answer' };
    output.push([item[0], body.subarray(offset, offset + item[1])]);
    offset += item[1];
  }
  return offset === body.length ? { answered: true, output, code } : { answered: false, why: 'malformed answer' };
}

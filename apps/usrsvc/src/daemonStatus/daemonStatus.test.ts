import { decodeStatusAnswer, encodeStatusAnswer, parseStatusCommandLine, type StatusAnswer } from '@usrsvc/cli-actions/statusRequest';
import { describe, expect, it } from 'vitest';
import { parseFastArgs } from '../fastArgs.js';
import { parseResponse } from './askDaemon.js';
import { statusRequestOf } from './statusRequestOf.js';

const LINES = [
  ['status'], ['status', 'web'], ['status', 'web', '--json'], ['--json', 'status'], ['status', '-P', 'all'], ['--parallel', 'status', 'all'],
  ['status', '--config', '/etc/u.cfg', 'web'], ['--config', '/etc/u.cfg', 'status'], ['status', 'web@1'], ['status', 'nosuch', '--json', '-P'],
  // Not answered by usrsvcd:
  ['status', 'a', 'b'], ['status', '--debug'], ['status', '--json', '--json'], ['status', '-P', '--parallel'], ['status', '--config', 'rel.cfg'],
  ['status', '--config'], ['status', '--json=true'], ['status', '--help'], ['start', 'web'], ['web', 'status'], ['status', ''], ['status', '--'],
  ['status', '-Pd'], ['status', '--no-deps'], ['logs', 'status'], ['status', '--config', '/a', '--config', '/b'], ['status', '--get-yargs-completions'],
];

describe("the status command lines usrsvcd answers are read as the CLI's parser reads them", () => {
  for (const argv of LINES) {
    it(argv.join(' ') || '(empty)', async () => {
      const line = parseStatusCommandLine(argv);
      if (!line) return;
      expect(await parseFastArgs(argv)).toEqual({
        kind: 'invocation',
        invocation: { action: 'status', target: line.target, json: line.json, parallel: line.parallel, debug: false, configPath: line.configPath },
      });
    });
  }

  it('answers the everyday ones', () => {
    expect(LINES.slice(0, 10).every((argv) => parseStatusCommandLine(argv) !== undefined)).toBe(true);
    expect(LINES.slice(10).filter((argv) => parseStatusCommandLine(argv) !== undefined)).toEqual([]);
  });
});

describe('statusRequestOf', () => {
  const streams = { stdout: { isTTY: true }, stderr: {} };
  it('sends the variables a status reads, null when unset, and nothing else', () => {
    const asked = statusRequestOf(['status'], { HOME: '/home/u', SECRET: 'x', NO_COLOR: '' }, streams);
    expect(asked).toMatchObject({
      socket: '/home/u/.local/state/usrsvc/usrsvcd.sock',
      request: { env: { HOME: '/home/u', NO_COLOR: '', USRSVC_CONFIG: null }, stdoutIsTTY: true, stderrIsTTY: false, command: { json: false, parallel: false } },
    });
    expect(JSON.stringify(asked)).not.toContain('SECRET');
  });

  it('does not ask when turned off, from a relative HOME, or without HOME', () => {
    expect(statusRequestOf(['status'], { HOME: '/h', USRSVC_NO_DAEMON_STATUS: '1' }, streams)).toEqual({ why: 'USRSVC_NO_DAEMON_STATUS is set' });
    expect(statusRequestOf(['status'], { HOME: 'h' }, streams)).toEqual({ why: 'HOME is not an absolute path' });
    expect(statusRequestOf(['status'], { XDG_RUNTIME_DIR: '/run/user/1' }, streams)).toMatchObject({ socket: '/run/user/1/usrsvc/usrsvcd.sock' });
    expect('why' in statusRequestOf(['status'], {}, streams)).toBe(true);
  });
});

describe('parseResponse', () => {
  const TYPE = 'Content-Type: application/vnd.usrsvc.status-answer';
  const http = (head: string, body: Buffer | string) => Buffer.concat([Buffer.from(`${head}\r\n\r\n`), Buffer.from(body)]);
  const answer: StatusAnswer = { answered: true, output: [[1, 'é\n'], [2, 'x'], [1, '']], code: 133 };
  it('takes a 200 with its whole body, the bytes of each chunk as they were', () => {
    const body = encodeStatusAnswer(answer);
    const bytes = { answered: true, output: [[1, Buffer.from('é\n')], [2, Buffer.from('x')], [1, Buffer.alloc(0)]], code: 133 };
    expect(parseResponse(http(`HTTP/1.1 200 OK\r\n${TYPE}\r\nContent-Length: ${body.length}`, body))).toEqual(bytes);
    expect(decodeStatusAnswer(encodeStatusAnswer({ answered: false, why: 'another user' }))).toEqual({ answered: false, why: 'declined: another user' });
  });
  it('takes nothing else: an older usrsvcd (404), another type, a cut or chunked body, a malformed answer', () => {
    const body = encodeStatusAnswer(answer);
    expect(parseResponse(http(`HTTP/1.1 404 Not Found\r\nContent-Length: 2`, '{}'))).toEqual({ answered: false, why: 'HTTP 404' });
    expect(parseResponse(http(`HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${body.length}`, body))).toMatchObject({ answered: false });
    expect(parseResponse(http(`HTTP/1.1 200 OK\r\n${TYPE}\r\nContent-Length: ${body.length + 1}`, body))).toMatchObject({ answered: false });
    expect(parseResponse(http(`HTTP/1.1 200 OK\r\n${TYPE}\r\nTransfer-Encoding: chunked`, body))).toMatchObject({ answered: false });
    expect(decodeStatusAnswer(body.subarray(0, body.length - 1))).toMatchObject({ answered: false, why: 'malformed answer' });
    expect(decodeStatusAnswer(Buffer.concat([body, Buffer.from('x')]))).toMatchObject({ answered: false, why: 'malformed answer' });
    expect(decodeStatusAnswer(Buffer.from('{"answered":true,"code":0,"output":[[3,0]]}\n'))).toMatchObject({ answered: false, why: 'malformed answer' });
    expect(decodeStatusAnswer(Buffer.from('{"answered":true,"code":300,"output":[]}\n'))).toMatchObject({ answered: false, why: 'malformed answer' });
  });
});

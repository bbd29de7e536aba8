import fs from 'node:fs';
import http from 'node:http';
import { apiSocketPath, type LogLine } from '@usrsvc/api';
import { waitFor } from '@usrsvc/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { DaemonHarness } from './test-support/daemonHarness.js';

let h: DaemonHarness;
afterEach(async () => {
  await h.cleanup();
});

function status(socket: string, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.request({ socketPath: socket, path }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('error', reject);
    request.end();
  });
}

describe("usrsvcd's logs endpoint", () => {
  it("sends the tail of a program's stdout and stderr, then each line as it is written", async () => {
    h = new DaemonHarness();
    h.writeProgram('talk', h.uniqueSleep(), { stderr: h.home.path('talk.err') });
    fs.writeFileSync(h.home.path('talk.out'), 'zero\none\ntwo\n');
    fs.writeFileSync(h.home.path('talk.err'), 'oops\n');
    await h.startDaemonAndWait();

    const abort = new AbortController();
    const lines: LogLine[] = [];
    const reading = (async () => {
      for await (const line of h.api().logs('talk', { lines: 2, follow: true, signal: abort.signal })) lines.push(line);
    })().catch(() => undefined);
    await waitFor('the tails', () => lines.length >= 3);
    expect(lines).toEqual([
      { program: 'talk', stream: 'stdout', line: 'one' },
      { program: 'talk', stream: 'stdout', line: 'two' },
      { program: 'talk', stream: 'stderr', line: 'oops' },
    ]);
    fs.appendFileSync(h.home.path('talk.err'), 'again\n');
    fs.appendFileSync(h.home.path('talk.out'), '<script>alert(1)</script>\n');
    await waitFor('the new lines', () => lines.length >= 5);
    expect(lines.slice(3)).toEqual(
      expect.arrayContaining([
        { program: 'talk', stream: 'stderr', line: 'again' },
        { program: 'talk', stream: 'stdout', line: '<script>alert(1)</script>' },
      ]),
    );
    abort.abort();
    await reading;

    const tailOnly: LogLine[] = [];
    for await (const line of h.api().logs('talk', { stream: 'stderr', lines: 1 })) tailOnly.push(line);
    expect(tailOnly).toEqual([{ program: 'talk', stream: 'stderr', line: 'again' }]);
  });

  it('names programs, never paths: unknown program 404, bad stream or line count 400', async () => {
    h = new DaemonHarness();
    h.writeProgram('talk', h.uniqueSleep());
    await h.startDaemonAndWait();
    const socket = apiSocketPath(h.stateDir);
    expect(await status(socket, '/v1/programs/nope/logs')).toBe(404);
    expect(await status(socket, `/v1/programs/${encodeURIComponent('../../etc/passwd')}/logs`)).toBe(404);
    expect(await status(socket, '/v1/programs/talk/logs?stream=/etc/passwd')).toBe(400);
    expect(await status(socket, '/v1/programs/talk/logs?lines=-1')).toBe(400);
    expect(await status(socket, '/v1/programs/talk/logs?lines=100000')).toBe(400);
  });
});

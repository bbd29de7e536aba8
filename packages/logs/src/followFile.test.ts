import fs from 'node:fs';
import { makeTempHome, type TempHome, waitFor } from '@usrsvc/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FollowEvent, followFileEvents } from './followFile.js';
import { logLines, programLogSources } from './logLines.js';
import { readTail } from './readTail.js';

let home: TempHome;
let stop: AbortController;
beforeEach(() => {
  home = makeTempHome();
  stop = new AbortController();
});
afterEach(() => {
  stop.abort();
  home.remove();
});

/** Collects what an async iterable yields, in the background, until the test aborts. */
function collect<T>(iterable: AsyncIterable<T>): { items: T[]; done: Promise<void> } {
  const items: T[] = [];
  const done = (async () => {
    for await (const item of iterable) items.push(item);
  })();
  return { items, done };
}

describe('followFileEvents', () => {
  it('follows appends, a truncation (copy-truncate) and a rename (rotation), as tail -F', async () => {
    const file = home.write('f.log', 'before\n');
    const tail = await readTail(file);
    const { items, done } = collect<FollowEvent>(followFileEvents(file, { ...tail, signal: stop.signal, pollMs: 50 }));
    const lines = () => items.filter((e) => e.kind === 'line').map((e) => (e as { line: string }).line);

    fs.appendFileSync(file, 'one\ntw');
    await waitFor('one', () => lines().includes('one'));
    fs.appendFileSync(file, 'o\n');
    await waitFor('two', () => lines().includes('two'));

    fs.truncateSync(file, 0);
    await waitFor('the truncation', () => items.some((e) => e.kind === 'truncated'));
    fs.appendFileSync(file, 'after truncate\n');
    await waitFor('a line after the truncation', () => lines().includes('after truncate'));

    fs.appendFileSync(file, 'last in old\n');
    fs.renameSync(file, `${file}.1`);
    fs.writeFileSync(file, 'first in new\n');
    await waitFor('the new file', () => lines().includes('first in new'));
    stop.abort();
    await done;
    expect(lines()).toEqual(['one', 'two', 'after truncate', 'last in old', 'first in new']);
    expect(items.filter((e) => e.kind === 'rotated')).toHaveLength(1);
  });

  it('waits for a missing file to appear', async () => {
    const file = home.path('later.log');
    const { items, done } = collect(followFileEvents(file, { position: 0, signal: stop.signal, pollMs: 50 }));
    fs.writeFileSync(file, 'hello\n');
    await waitFor('hello', () => items.some((e) => e.kind === 'line' && e.line === 'hello'));
    stop.abort();
    await done;
  });
});

describe('logLines', () => {
  it('gives the tail of each source, then follows all of them; a break stops at once', async () => {
    const out = home.write('web.out', 'o1\no2\n');
    const err = home.write('web.err', 'e1\n');
    const sources = programLogSources({ name: 'web', stdout: out, stderr: err });
    const seen: string[] = [];
    const iterating = (async () => {
      for await (const { program, stream, line } of logLines(sources, { lines: 1, follow: true, signal: stop.signal, pollMs: 50 })) {
        seen.push(`${program}/${stream}: ${line}`);
        if (line === 'stop here') break;
      }
    })();
    await waitFor('the tails', () => seen.length === 2);
    fs.appendFileSync(err, 'e2\n');
    await waitFor('e2', () => seen.includes('web/stderr: e2'));
    fs.appendFileSync(out, 'stop here\n');
    await iterating;
    expect(seen).toEqual(['web/stdout: o2', 'web/stderr: e1', 'web/stderr: e2', 'web/stdout: stop here']);
  });

  it('loses nothing of a file rotated between its tail and the start of following', async () => {
    const file = home.write('a.log', 'a 1\n');
    const lines = logLines([{ program: 'a', stream: 'both', file }], { follow: true, signal: stop.signal, pollMs: 50 });
    // The generator is paused at the tail's line: following has not started yet.
    expect((await lines.next()).value?.line).toBe('a 1');
    fs.appendFileSync(file, 'a 2\n');
    fs.renameSync(file, `${file}.1`);
    fs.writeFileSync(file, 'a 3\n');
    expect((await lines.next()).value?.line).toBe('a 2');
    expect((await lines.next()).value?.line).toBe('a 3');
    await lines.return(undefined);
  });

  it('closes the open files when the consumer stops during the tails', async () => {
    const files = ['x.log', 'y.log'].map((name) => home.write(name, `${name}\n`));
    const sources = files.map((file) => ({ program: file, stream: 'both' as const, file }));
    const open = () => fs.readdirSync('/proc/self/fd').filter((fd) => {
      try {
        return files.includes(fs.readlinkSync(`/proc/self/fd/${fd}`));
      } catch {
        return false;
      }
    }).length;
    for await (const line of logLines(sources, { follow: true, signal: stop.signal })) {
      expect(line.line).toBe('x.log');
      expect(open()).toBe(1);
      break;
    }
    expect(open()).toBe(0);
  });

  it('reports an unreadable source through onError and goes on with the others', async () => {
    const out = home.write('ok.out', 'fine\n');
    const errors: string[] = [];
    const lines = [];
    const sources = [
      { program: 'a', stream: 'both' as const, file: home.path('gone.log') },
      { program: 'b', stream: 'both' as const, file: out },
    ];
    for await (const line of logLines(sources, { onError: (_s, e) => errors.push(e.message) })) lines.push(line.line);
    expect(lines).toEqual(['fine']);
    expect(errors).toEqual([expect.stringContaining(home.path('gone.log'))]);
  });
});

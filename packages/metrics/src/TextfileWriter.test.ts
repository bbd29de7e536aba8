import fs from 'node:fs';
import { makeTempHome, memoryLogger, type ServerProcess, startNodeExporter, type TempHome, waitFor } from '@usrsvc/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { daemonView, everyState, programView } from './test-support/views.js';
import { TextfileWriter } from './TextfileWriter.js';
import { UsrsvcMetrics } from './UsrsvcMetrics.js';


describe('TextfileWriter', () => {
  let home: TempHome;
  let writer: TextfileWriter | undefined;
  let exporter: ServerProcess | undefined;

  beforeEach(() => {
    home = makeTempHome('usrsvc-metrics-');
  });
  afterEach(async () => {
    await writer?.close();
    writer = undefined;
    await exporter?.stop();
    exporter = undefined;
    home.remove();
  });

  it('writes at start, after a change (debounced) and leaves no temporary file behind', async () => {
    const file = home.path('textfile', 'usrsvc-web.prom');
    fs.mkdirSync(home.path('textfile'));
    let renders = 0;
    writer = new TextfileWriter({ path: file, render: () => `render ${++renders}\n`, debounceMs: 20 });
    await writer.start();
    expect(fs.readFileSync(file, 'utf8')).toBe('render 1\n');
    for (let i = 0; i < 50; i += 1) writer.changed();
    await waitFor('the change to be written', () => fs.readFileSync(file, 'utf8') === 'render 2\n');
    expect(writer.stats().writes).toBe(2);
    expect(fs.readdirSync(home.path('textfile'))).toEqual(['usrsvc-web.prom']);
    expect(fs.statSync(file).mode & 0o777).toBe(0o644);
  });

  it('renews the mtime every refreshMs without rendering, and renders again every rerenderMs', async () => {
    const file = home.path('usrsvc-web.prom');
    let renders = 0;
    writer = new TextfileWriter({ path: file, render: () => `render ${++renders}\n`, refreshMs: 50, rerenderMs: 60_000 });
    await writer.start();
    const old = new Date(Date.now() - 3_600_000);
    fs.utimesSync(file, old, old);
    await waitFor('the mtime to be renewed', () => writer!.stats().touches >= 1 && fs.statSync(file).mtimeMs > Date.now() - 60_000);
    expect(renders).toBe(1);
    expect(fs.readFileSync(file, 'utf8')).toBe('render 1\n');
    expect(writer.stats().touches).toBeGreaterThanOrEqual(1);
    await writer.close();

    writer = new TextfileWriter({ path: file, render: () => `render ${++renders}\n`, refreshMs: 50, rerenderMs: 100 });
    await writer.start();
    // Counted once each write is complete, so how long a write takes under load cannot matter.
    await waitFor('renders every rerenderMs', () => writer!.stats().writes >= 3);
    await writer.close();
    expect(fs.readFileSync(file, 'utf8')).toBe(`render ${renders}\n`);
  });

  it('a render that gives the text already written only renews the mtime', async () => {
    const file = home.path('usrsvc-web.prom');
    writer = new TextfileWriter({ path: file, render: () => 'same 1\n', debounceMs: 0 });
    await writer.start();
    const inode = fs.statSync(file).ino;
    writer.changed();
    await waitFor('the change to be handled', () => writer!.stats().touches === 1);
    expect(writer.stats().writes).toBe(1);
    expect(fs.statSync(file).ino).toBe(inode);
  });

  it('writes the file again at the next refresh when someone deleted it', async () => {
    const file = home.path('usrsvc-web.prom');
    writer = new TextfileWriter({ path: file, render: () => 'x 1\n', refreshMs: 50 });
    await writer.start();
    fs.rmSync(file);
    // The rename makes the file visible before the write is counted: wait for both.
    await waitFor('the file to be back', () => writer!.stats().writes === 2 && fs.existsSync(file));
    expect(fs.readFileSync(file, 'utf8')).toBe('x 1\n');
    expect(writer.stats().writes).toBe(2);
  });

  it('never shows a partly written file to a reader that reads while it writes', async () => {
    const file = home.path('usrsvc-web.prom');
    const big = (n: number) => `${String(n).repeat(200_000)}\n`;
    let n = 0;
    writer = new TextfileWriter({ path: file, render: () => big(++n % 10), debounceMs: 0 });
    await writer.start();
    for (let i = 0; i < 200; i += 1) {
      writer.changed();
      const text = fs.readFileSync(file, 'utf8');
      expect(text.length).toBe(200_001);
      expect(text).toBe(big(Number(text[0])));
      await new Promise((resolve) => setImmediate(resolve));
    }
  });

  it('logs a failing write once with its reason, and again when it works', async () => {
    const logger = memoryLogger();
    const folder = home.path('gone');
    const file = `${folder}/usrsvc-web.prom`;
    writer = new TextfileWriter({ path: file, render: () => 'x 1\n', logger });
    await writer.start();
    await writer.flush();
    await writer.flush();
    expect(writer.stats().failures).toBe(3);
    expect(logger.messages('warn')).toEqual([expect.stringMatching(/^metrics_textfile .*usrsvc-web\.prom could not be written: ENOENT/)]);
    fs.mkdirSync(folder);
    await writer.flush();
    expect(fs.readFileSync(file, 'utf8')).toBe('x 1\n');
    expect(logger.messages('info').at(-1)).toMatch(/^metrics_textfile .* is written again$/);
  });

  it('feeds a real node_exporter textfile collector, several accounts side by side', async () => {
    const dir = home.path('textfile');
    fs.mkdirSync(dir);
    const accounts = ['web', 'batch'];
    const writers = accounts.map((user) => {
      const metrics = new UsrsvcMetrics();
      metrics.update({ daemon: daemonView({ user }), programs: [...everyState(), programView(`${user}-only`, { state: 'gave-up', afterRestarts: 3, since: '2026-11-29T08:00:00.000Z' })] });
      return new TextfileWriter({ path: `${dir}/usrsvc-${user}.prom`, render: () => metrics.render() });
    });
    for (const each of writers) await each.start();
    try {
      exporter = await startNodeExporter(dir);
      const text = await (await fetch(`${exporter.url}/metrics`)).text();
      expect(text).toMatch(/^node_textfile_scrape_error 0$/m);
      for (const user of accounts) {
        expect(text).toContain(`usrsvc_program_up{program="web",user="${user}"} 1`);
        expect(text).toContain(`usrsvc_program_state{program="${user}-only",state="gave_up",user="${user}"} 1`);
        expect(text).toContain(`usrsvc_build_info{exit_watch="pidfd",user="${user}",version="0.1.0"} 1`);
      }
    } finally {
      for (const each of writers) await each.close();
    }
  });
});

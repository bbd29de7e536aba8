import fs from 'node:fs';
import zlib from 'node:zlib';
import { waitFor } from '@usrsvc/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { DaemonHarness } from './test-support/daemonHarness.js';

let h: DaemonHarness;
afterEach(async () => {
  if (process.env.KEEP_LOG) console.log(h?.log());
  await h?.cleanup();
});

const FAST_CHECKS = { USRSVCD_LOG_CHECK_MS: '100' };

/**
 * A program that opens its log file itself, without O_APPEND, at fd 1 (it closes the launcher's
 * stdout and stderr first, as daemonizing programs do), writes "line N" and, given a signal name,
 * reopens the file on that signal.
 */
function ownLogWriter(h: DaemonHarness): string {
  return h.home.write(
    'ownLogWriter.mjs',
    `import fs from 'node:fs';
const [file, signal] = process.argv.slice(2);
fs.closeSync(1);
fs.closeSync(2);
const open = () => fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_CREAT, 0o644);
let fd = open();
let position = fs.fstatSync(fd).size;
let n = 0;
if (signal) process.on(signal, () => { fs.closeSync(fd); fd = open(); position = fs.fstatSync(fd).size; });
setInterval(() => { for (let i = 0; i < 20; i += 1) { n += 1; position += fs.writeSync(fd, 'line ' + n + '\\n', position); } }, 5);
`,
  );
}

/**
 * Every complete "line N" in the file and its backups (gzipped or not), counted; undefined when a
 * rotation moved or replaced any of them while they were read (their names and inodes, and the
 * backups' sizes, differ before and after), or while a backup is half compressed.
 */
function numbersIn(file: string): Map<number, number> | undefined {
  const dir = file.slice(0, file.lastIndexOf('/'));
  const base = file.slice(file.lastIndexOf('/') + 1);
  const layout = (): { names: string[]; key: string } | undefined => {
    try {
      const names = fs.readdirSync(dir).filter((n) => n.startsWith(base)).sort();
      const key = names.map((n) => {
        const st = fs.statSync(`${dir}/${n}`);
        return `${n}:${st.ino}:${n === base ? '' : st.size}`;
      });
      return { names, key: key.join('/') };
    } catch {
      return undefined;
    }
  };
  // a backup being compressed: its temporary file (@usrsvc/atomicfile's `.<name>.<pid>.tmp`)
  if (fs.readdirSync(dir).some((n) => n.startsWith(`.${base}`) && n.endsWith('.tmp'))) return undefined;
  const before = layout();
  if (!before) return undefined;
  const { names } = before;
  if (names.some((n) => !n.endsWith('.gz') && n !== base && names.includes(`${n}.gz`))) return undefined;
  const seen = new Map<number, number>();
  try {
    for (const name of names) {
      let bytes = fs.readFileSync(`${dir}/${name}`);
      if (name.endsWith('.gz')) bytes = zlib.gunzipSync(bytes);
      for (const match of bytes.toString('utf8').matchAll(/^line (\d+)\n/gm)) seen.set(Number(match[1]), (seen.get(Number(match[1])) ?? 0) + 1);
    }
  } catch {
    return undefined;
  }
  return layout()?.key === before.key ? seen : undefined;
}

describe('usrsvcd rotates logs by size, the way that is safe for whoever writes them', () => {
  it('launcher-opened: copy-truncate; program-opened with reopen_signal: rename + signal, no line lost; without: one warning', async () => {
    h = new DaemonHarness();
    const writer = ownLogWriter(h);
    const chatty = h.script('chatty', 'i=0\nwhile :; do i=$((i+1)); echo "line $i"; case $((i % 50)) in 0) sleep 0.01;; esac; done');
    h.writeProgram('chatty', chatty, { log_max_bytes: '4KB', log_backups: 2 });
    const signalledLog = h.home.path('signalled.out');
    h.writeProgram('signalled', `${process.execPath} ${writer} ${signalledLog} SIGHUP`, {
      log_max_bytes: '4KB',
      log_backups: 100,
      log_compress: 'True',
      reopen_signal: 'HUP',
    });
    const stubbornLog = h.home.path('stubborn.out');
    h.writeProgram('stubborn', `${process.execPath} ${writer} ${stubbornLog}`, { log_max_bytes: '4KB' });
    await h.startDaemonAndWait(FAST_CHECKS);

    await h.waitForLog(/\(chatty\) - rotated .*chatty\.out .*copy-truncate/, { count: 3 });
    await h.waitForLog(/\(signalled\) - rotated .*signalled\.out .*rename-and-signal.* to .*signalled\.out\.1\.gz/, { count: 3 });
    // Three rotations of chatty prove three checks passed over stubborn too: warned once, not each time.
    await h.waitForLog(/\(chatty\) - rotated/, { count: 6 });
    expect(h.logLines(/\(stubborn\) - WARNING: .*stubborn\.out is over log_max_bytes but is not rotated.*Set reopen_signal/)).toHaveLength(1);
    expect(fs.existsSync(`${stubbornLog}.1`)).toBe(false);

    expect(fs.existsSync(h.home.path('chatty.out.1'))).toBe(true);
    expect(fs.existsSync(h.home.path('chatty.out.3'))).toBe(false);
    expect(fs.readFileSync(h.home.path('chatty.out')).includes(0)).toBe(false);

    const seen = await waitFor('a consistent set of signalled log files', () => numbersIn(signalledLog));
    const last = Math.max(...seen.keys());
    for (let n = 1; n <= last; n += 1) expect(seen.get(n), `line ${n}`).toBe(1);
  });

  it("rotates usrsvcd's own JSON log past usrsvcd_max_bytes; reopen-logs after an external rename; usrsvcd logs", async () => {
    h = new DaemonHarness();
    h.writeMain('usrsvcd_log_format = json\nusrsvcd_max_bytes = 300\nusrsvcd_backups = 2');
    await h.startDaemonAndWait(FAST_CHECKS);
    await waitFor('usrsvcd.log.1', () => fs.existsSync(`${h.logFile}.1`));
    const records = fs
      .readFileSync(`${h.logFile}.1`, 'utf8')
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records[0]).toMatchObject({ level: 'info', program: 'usrsvcd', message: expect.stringContaining('usrsvcd started as pid') });
    expect(new Date(String(records[0]!.time)).toISOString()).toBe(records[0]!.time);

    // An external logrotate: rename, then `usrsvcd reopen-logs` (SIGHUP) makes usrsvcd write a new file.
    await waitFor('a fresh usrsvcd.log', () => fs.existsSync(h.logFile));
    fs.renameSync(h.logFile, `${h.logFile}.external`);
    const reopened = await h.runCli(['reopen-logs']);
    expect(reopened.code).toBe(0);
    await h.waitForLog(/"event":"logs-reopened"/);

    const shown = await h.runCli(['logs', '-n', '1']);
    expect(shown.code).toBe(0);
    expect(JSON.parse(shown.stdout)).toMatchObject({ program: 'usrsvcd' });
  });
});

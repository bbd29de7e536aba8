import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { type CliTestHome, makeCliTestHome } from './test-support/cliTestHome.js';
import { BIN } from './test-support/runCli.js';
import { uniqueSleep } from './test-support/testConfig.js';
import { startUsrsvcd, stopStartedUsrsvcds } from './test-support/usrsvcd.js';

// An answered status writes with write(2) and hands the rest to process.stdout only when the fd
// would block (src/daemonStatus/writeAnswer.ts). Node gives its children blocking pipes, so these
// come from Python: a non-blocking pipe the reader leaves full, and a pipe nobody reads.
const PIPE_RUNNER = `
import fcntl, json, os, struct, subprocess, sys, termios, time
mode, out = sys.argv[1], sys.argv[2]
r, w = os.pipe()
queued = lambda: struct.unpack('i', fcntl.ioctl(r, termios.FIONREAD, b'\\0\\0\\0\\0'))[0]
if mode == 'full':
    os.set_blocking(w, False)
    child = subprocess.Popen(sys.argv[3:], stdout=w)
    os.close(w)
    capacity = fcntl.fcntl(r, 1032)  # F_GETPIPE_SZ
    while queued() < capacity and child.poll() is None:
        time.sleep(0.005)
    filled = queued()
    data = bytearray()
    while chunk := os.read(r, 65536):
        data += chunk
else:
    os.close(r)
    child = subprocess.Popen(sys.argv[3:], stdout=w)
    os.close(w)
    capacity = filled = 0
    data = b''
open(out, 'wb').write(data)
print(json.dumps({'code': child.wait(), 'capacity': capacity, 'filled': filled}))
`;

describe('an answered usrsvc status on pipes the CLI must not lose output to', () => {
  let t: CliTestHome;
  afterEach(async () => {
    await stopStartedUsrsvcds();
    t.cleanup();
  });

  async function throughPipe(mode: 'full' | 'unread', args: string[]): Promise<{ code: number; capacity: number; filled: number; output: string; way: string }> {
    const out = t.home.path(`pipe-${mode}.out`);
    const trace = t.home.path(`pipe-${mode}.trace`);
    const { stdout } = await promisify(execFile)('/usr/bin/python3', ['-c', PIPE_RUNNER, mode, out, process.execPath, BIN, ...args], {
      env: t.home.env({ USRSVC_DAEMON_STATUS_TRACE: trace }),
      timeout: 60_000,
    });
    return { ...(JSON.parse(stdout) as { code: number; capacity: number; filled: number }), output: fs.readFileSync(out, 'utf8'), way: fs.readFileSync(trace, 'utf8').trim() };
  }

  it('writes all of a --json bigger than the pipe into a non-blocking pipe that fills, and exits with its code when nobody reads', async () => {
    const programs = Object.fromEntries(Array.from({ length: 120 }, (_, i) => [`idle${i}`, { command: uniqueSleep(), autostart: false }]));
    t = makeCliTestHome(programs);
    await startUsrsvcd(t);
    const expected = await t.usrsvc(['status', '--json'], { extraEnv: { USRSVC_NO_DAEMON_STATUS: '1' } });

    const full = await throughPipe('full', ['status', '--json']);
    expect(full.way).toBe('answered by usrsvcd');
    expect(Buffer.byteLength(expected.stdout)).toBeGreaterThan(2 * full.capacity);
    expect(full.filled).toBe(full.capacity);
    expect(full.code).toBe(0);
    expect(full.output).toBe(expected.stdout);
    expect(JSON.parse(full.output)).toHaveLength(120);

    const unread = await throughPipe('unread', ['status', 'idle0']);
    expect(unread.way).toBe('answered by usrsvcd');
    expect(unread.code).toBe(1);
  }, 90_000);
});

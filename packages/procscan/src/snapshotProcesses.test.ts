import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Reaper, startProcess, waitFor } from '@usrsvc/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { readExecutable, readProcess } from './readProcess.js';
import { snapshotProcesses, snapshotProcessesSync } from './snapshotProcesses.js';

describe('snapshotProcessesSync (/proc)', () => {
  const reaper = new Reaper();
  afterEach(() => reaper.killAll());

  it('holds this process with its exact argv, and agrees with the async snapshot', async () => {
    const table = snapshotProcessesSync();
    expect(table.get(process.pid)?.argv).toEqual(fs.readFileSync('/proc/self/cmdline', 'utf8').split('\0').slice(0, -1));
    expect((await snapshotProcesses()).get(process.pid)?.startTicks).toBe(table.get(process.pid)?.startTicks);
  });

  it('reads a title rewritten by perl ($0) as one argument', async () => {
    const pid = startProcess(reaper, 'perl', ['-e', '$0 = "my-service: worker (idle) 1"; sleep 600', 'old', 'args']);
    const info = await waitFor('perl to set $0', () => {
      const read = readProcess(pid);
      return read?.cmdline.startsWith('my-service') && read;
    });
    expect(info.argv).toEqual(['my-service: worker (idle) 1']);
    expect(snapshotProcessesSync().match(/^my-service: worker \(idle\) 1$/).map((p) => p.pid)).toEqual([pid]);
  });

  it('reads a title rewritten by node (process.title, NUL-padded) as one argument', async () => {
    const script = 'process.title = "svc title"; setInterval(() => {}, 1e6)';
    const pid = startProcess(reaper, process.execPath, ['-e', script, 'a-long-argument-to-leave-padding']);
    const info = await waitFor('node to set its title', () => {
      const read = readProcess(pid);
      return read?.cmdline.startsWith('svc') && read;
    });
    expect(fs.readFileSync(`/proc/${pid}/cmdline`).subarray(-2)).toEqual(Buffer.from([0, 0]));
    expect(info.argv).toEqual(['svc title']);
    expect(info.cmdline).toBe('svc title');
  });

  it('survives processes exiting while it scans', () => {
    const forker = startProcess(reaper, 'sh', ['-c', 'while :; do /bin/true; done']);
    for (let round = 0; round < 200; round += 1) {
      const table = snapshotProcessesSync();
      expect(table.get(forker)?.state).toMatch(/^[RSD]$/);
      for (const info of table.processes) {
        expect(Number.isInteger(info.startTicks) && Number.isInteger(info.ppid)).toBe(true);
      }
    }
  });

  it('rejects an unknown backend with a typed error', async () => {
    const backend = 'kvm' as unknown as 'proc';
    await expect(snapshotProcesses({ backend })).rejects.toMatchObject({ code: 'USRSVC_PROCSCAN_UNSUPPORTED', backend: 'kvm' });
  });

  it('reads nothing for a PID that has exited', () => {
    const exited = spawnSync('true').pid;
    expect(readProcess(exited)).toBeUndefined();
    expect(readExecutable(exited)).toBeUndefined();
  });

  it('gives exact resident memory (VmRSS) for one process', () => {
    const pid = startProcess(reaper, 'perl', ['-e', 'sleep 600']);
    const vmRss = () => Number(/^VmRSS:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
    return waitFor('perl to settle and readProcess to agree with VmRSS', () => readProcess(pid)?.rssKb === vmRss());
  });

  it('reads the executable of a process it may inspect', () => {
    const pid = startProcess(reaper, 'sleep', ['600']);
    expect(readExecutable(pid)).toBe(fs.realpathSync(fs.readlinkSync(`/proc/${pid}/exe`)));
    expect(readExecutable(2)).toBeUndefined(); // a kernel thread has no executable
  });

  it.skipIf(process.getuid?.() !== 0)('works as another user, who cannot read root-only /proc entries', () => {
    // Run as nobody: /proc/<pid>/exe of root's processes is unreadable, the scan must go on.
    const rootPid = startProcess(reaper, 'sleep', ['600']);
    const indexUrl = new URL('./index.ts', import.meta.url);
    const script = `
      const { snapshotProcessesSync, readExecutable, readProcess } = await import(${JSON.stringify(distIndex())});
      const table = snapshotProcessesSync();
      const mine = snapshotProcessesSync({ uid: 65534 });
      console.log(JSON.stringify({
        root: table.get(${rootPid}), self: mine.get(process.pid)?.uid, onlyMine: mine.processes.every((p) => p.uid === 65534),
        rootExe: readExecutable(${rootPid}) ?? null, selfExe: readExecutable(process.pid) ?? null, one: readProcess(${rootPid})?.pid,
      }));`;
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      uid: 65534,
      gid: 65534,
      encoding: 'utf8',
      cwd: '/',
    });
    expect(result.stderr, String(indexUrl)).toBe('');
    const seen = JSON.parse(result.stdout);
    expect(seen.root).toMatchObject({ pid: rootPid, uid: 0, argv: ['sleep', '600'] });
    expect(seen.self).toBe(65534);
    expect(seen.onlyMine).toBe(true);
    expect(seen.rootExe).toBeNull();
    expect(seen.selfExe).toBe(fs.realpathSync(process.execPath));
    expect(seen.one).toBe(rootPid);
  });
});

function distIndex(): string {
  return fileURLToPath(new URL('../dist/index.js', import.meta.url));
}

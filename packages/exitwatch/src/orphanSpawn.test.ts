import fs from 'node:fs';
import { isInitOrSubreaper, makeTempHome, procCwd, procLimits, procNice, procStat, procUmask, Reaper, type TempHome, waitFor } from '@usrsvc/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nativeOrphanSpawn, nativeOrphanSpawnAsync } from './orphanSpawn.js';
import { built } from './test-support/built.js';

const reaper = new Reaper();
let home: TempHome;
beforeEach(() => {
  home = makeTempHome('usrsvc-orphan-spawn-');
});
afterEach(() => {
  reaper.killAll();
  home.remove();
});

const spawnOrphan = () => built(nativeOrphanSpawn());

const cmdline = (pid: number) => fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').slice(0, -1);
const statusField = (pid: number, field: string) => new RegExp(`^${field}:\\s*(\\S+)`, 'm').exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];

describe('nativeOrphanSpawn', () => {
  it('runs the program itself, not our child, in a session of its own, with default signals', () => {
    const pid = spawnOrphan()({ file: '/bin/sleep', argv: ['sleep', '4711'], env: { A: '1' }, stdout: home.path('out.log') });
    reaper.track(pid);
    expect(cmdline(pid)).toEqual(['sleep', '4711']);
    const stat = procStat(pid)!;
    expect(stat.ppid).not.toBe(process.pid);
    expect(isInitOrSubreaper(stat.ppid)).toBe(true);
    const session = Number(fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[3]);
    expect(session).not.toBe(Number(fs.readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ')[3]));
    expect(BigInt(`0x${statusField(pid, 'SigIgn')}`)).toBe(0n);
    expect(BigInt(`0x${statusField(pid, 'SigBlk')}`)).toBe(0n);
    expect(fs.readlinkSync(`/proc/${pid}/fd/0`)).toBe('/dev/null');
  });

  it('gives exactly the environment, the folder, and appends stdout and stderr to their files', async () => {
    const out = home.path('out.log');
    const err = home.path('err.log');
    fs.writeFileSync(out, 'before\n');
    const env = { ONLY: 'this', PATH: '/usr/bin:/bin' };
    const pid = spawnOrphan()({
      file: '/bin/sh',
      argv: ['sh', '-c', 'env | sort; pwd; echo oops >&2'],
      env,
      stdout: out,
      stderr: err,
      cwd: home.dir,
    });
    reaper.track(pid);
    await waitFor('the program to finish writing', () => fs.readFileSync(err, 'utf8') === 'oops\n');
    const lines = fs.readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('before');
    expect(lines).toContain('ONLY=this');
    expect(lines.at(-1)).toBe(fs.realpathSync(home.dir));
    // what the shell adds itself (PWD, SHLVL...) aside, nothing of ours leaks in
    expect(lines.some((line) => line.startsWith('HOME='))).toBe(false);
  });

  it('throws ENOENT from execve when the file does not exist, and from open when a log folder is missing', () => {
    expect(() => spawnOrphan()({ file: home.path('missing'), argv: ['missing'], env: {}, stdout: home.path('out.log') })).toThrow(
      expect.objectContaining({ code: 'ENOENT', syscall: 'execve' }),
    );
    expect(() => spawnOrphan()({ file: '/bin/true', argv: ['true'], env: {}, stdout: home.path('no-dir', 'out.log') })).toThrow(
      expect.objectContaining({ code: 'ENOENT', syscall: 'open stdout' }),
    );
  });

  it('applies resource limits, umask and nice in the program before execve', () => {
    const pid = spawnOrphan()({
      file: '/bin/sleep',
      argv: ['sleep', '4712'],
      env: {},
      stdout: home.path('out.log'),
      cwd: home.dir,
      settings: {
        limits: [
          { resource: 'nofile', soft: 321, hard: 654 },
          { resource: 'core', soft: 'infinity', hard: 'infinity' },
          { resource: 'stack', soft: 4 * 1024 * 1024, hard: 'infinity' },
          { resource: 'fsize', soft: 1 << 30, hard: 1 << 30 },
        ],
        umask: 0o027,
        nice: 7,
      },
    });
    reaper.track(pid);
    const limits = procLimits(pid);
    expect(limits.nofile).toEqual({ soft: 321, hard: 654 });
    expect(limits.core).toEqual({ soft: 'infinity', hard: 'infinity' });
    expect(limits.stack).toEqual({ soft: 4 * 1024 * 1024, hard: 'infinity' });
    expect(limits.fsize).toEqual({ soft: 1 << 30, hard: 1 << 30 });
    expect(procUmask(pid)).toBe(0o027);
    expect(procNice(pid)).toBe(7);
    expect(procCwd(pid)).toBe(fs.realpathSync(home.dir));
  });

  it('says which step failed: chdir, or the limit the kernel refused; the program never runs', () => {
    const launch = { file: '/bin/true', argv: ['true'], env: {}, stdout: home.path('out.log') };
    expect(() => spawnOrphan()({ ...launch, cwd: home.path('missing-dir') })).toThrow(
      expect.objectContaining({ code: 'ENOENT', syscall: 'chdir' }),
    );
    const refused = { resource: 'nproc' as const, soft: 10, hard: 5 };
    expect(() => spawnOrphan()({ ...launch, settings: { limits: [{ resource: 'nofile', soft: 100, hard: 100 }, refused] } })).toThrow(
      expect.objectContaining({ code: 'EINVAL', syscall: 'setrlimit nproc' }),
    );
  });

  it('launches on the thread pool too: concurrent launches each resolve with their own program, failures reject', async () => {
    const spawn = built(nativeOrphanSpawnAsync());
    const pids = await Promise.all(
      ['4713', '4714', '4715'].map((seconds) => spawn({ file: '/bin/sleep', argv: ['sleep', seconds], env: {}, stdout: home.path('out.log') })),
    );
    for (const pid of pids) reaper.track(pid);
    expect(pids.map((pid) => cmdline(pid))).toEqual([['sleep', '4713'], ['sleep', '4714'], ['sleep', '4715']]);
    expect(pids.every((pid) => isInitOrSubreaper(procStat(pid)!.ppid))).toBe(true);
    await expect(spawn({ file: home.path('missing'), argv: ['missing'], env: {}, stdout: home.path('out.log') })).rejects.toThrow(
      expect.objectContaining({ code: 'ENOENT', syscall: 'execve' }),
    );
    const refused = { resource: 'nproc' as const, soft: 10, hard: 5 };
    await expect(spawn({ file: '/bin/true', argv: ['true'], env: {}, stdout: home.path('out.log'), settings: { limits: [refused] } })).rejects.toThrow(
      expect.objectContaining({ code: 'EINVAL', syscall: 'setrlimit nproc' }),
    );
  });
});

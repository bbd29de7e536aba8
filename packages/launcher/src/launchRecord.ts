import fs from 'node:fs';
import path from 'node:path';
import { isSameProcess, type ProcessIdentity, type ProcessInfo, readProcess } from '@usrsvc/procscan';
import { bootId } from './bootId.js';
import type { ResolvedContext } from './LaunchContext.js';
import { readTextIfExists } from './readTextIfExists.js';
import { isDead } from './runningProcess.js';
import { ensureStateDir, stateFileName } from './stateDir.js';

/**
 * What usrsvc recorded of a program's last launch (launches/<program>.json in the 0700 state
 * folder): the proof of which process is the program, whatever title it gives itself.
 */
export interface LaunchRecord {
  bootId: string;
  /** The launch cookie's id (USRSVC_LAUNCH in the launched processes' environment). */
  launchId: string;
  /** When the oldest launch of the program that may still have processes began (ms since the epoch): older processes carry none of its cookies. */
  since: number;
  /** The process the launch created. */
  launched: ProcessIdentity;
  /** The program's main process, once the start saw it run for success_seconds. */
  main?: ProcessIdentity;
  /** The main process's title no longer matched proctitle_re, and that was said once. */
  titleWarned?: boolean;
  /** The launch is over and its leftovers (found by cookie) were added to the tree record. */
  over?: boolean;
}

function recordPath(name: string, ctx: ResolvedContext): string {
  return path.join(ensureStateDir(ctx.stateDir, ctx.uid, 'launches'), `${stateFileName(name)}.json`);
}

/** The program's launch record of this boot; undefined when there is none. */
export function readLaunchRecord(name: string, ctx: ResolvedContext): LaunchRecord | undefined {
  const text = readTextIfExists(recordPath(name, ctx));
  if (text === undefined) return undefined;
  let parsed: Partial<LaunchRecord>;
  try {
    parsed = JSON.parse(text) as Partial<LaunchRecord>;
  } catch {
    return undefined;
  }
  if (parsed.bootId !== bootId() || typeof parsed.launchId !== 'string' || !isIdentity(parsed.launched)) return undefined;
  return {
    bootId: parsed.bootId,
    launchId: parsed.launchId,
    launched: parsed.launched,
    since: typeof parsed.since === 'number' ? parsed.since : 0,
    ...(isIdentity(parsed.main) ? { main: parsed.main } : {}),
    ...(parsed.titleWarned ? { titleWarned: true } : {}),
    ...(parsed.over ? { over: true } : {}),
  };
}

export function writeLaunchRecord(name: string, ctx: ResolvedContext, record: Omit<LaunchRecord, 'bootId'>): void {
  const file = recordPath(name, ctx);
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, `${JSON.stringify({ bootId: bootId(), ...record })}\n`, { mode: 0o600 });
  fs.renameSync(temporary, file);
}

/**
 * writeLaunchRecord off the event loop (a start's own records, written while other programs
 * launch: a file creation can take a millisecond on a busy disk). The caller holds the program's
 * lock and awaits it before anything reads the record.
 */
export async function writeLaunchRecordAsync(name: string, ctx: ResolvedContext, record: Omit<LaunchRecord, 'bootId'>): Promise<void> {
  const file = recordPath(name, ctx);
  const temporary = `${file}.${process.pid}.tmp`;
  await fs.promises.writeFile(temporary, `${JSON.stringify({ bootId: bootId(), ...record })}\n`, { mode: 0o600 });
  await fs.promises.rename(temporary, file);
}

/** Removes the record: nothing of the launch runs any more. */
export function forgetLaunch(name: string, ctx: ResolvedContext): void {
  fs.rmSync(recordPath(name, ctx), { force: true });
}

/** The recorded main process when it still runs (same PID and start time, ours, not a zombie). */
export function liveLaunchedMain(record: LaunchRecord | undefined, uid: number): ProcessInfo | undefined {
  if (!record?.main) return undefined;
  const info = readProcess(record.main.pid);
  if (!info || info.startTicks !== record.main.startTicks || info.uid !== uid || isDead(info)) return undefined;
  return info;
}

/** Whether `info` is the main process of the recorded launch. */
export function isLaunchedMain(record: LaunchRecord | undefined, info: ProcessInfo): boolean {
  return record?.main !== undefined && record.main.pid === info.pid && record.main.startTicks === info.startTicks;
}

/** The launch's main process (or, before one was seen, its launched process) is gone. */
export function launchIsOver(record: LaunchRecord): boolean {
  return !isSameProcess(record.main ?? record.launched);
}

function isIdentity(value: unknown): value is ProcessIdentity {
  const v = value as ProcessIdentity | undefined;
  return typeof v?.pid === 'number' && typeof v.startTicks === 'number';
}

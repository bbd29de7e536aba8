import type { ProcessInfo, ProcessTable } from '@usrsvc/procscan';
import type { ResolvedContext } from './LaunchContext.js';
import { cookieCarriers } from './cookieCarriers.js';
import { forgetLaunch, launchIsOver, readLaunchRecord, writeLaunchRecord } from './launchRecord.js';
import { recordEscaped } from './rememberProgramTree.js';

/**
 * The program's leftovers found by their launch cookie in `table`: processes carrying the
 * program's cookie of a launch whose main process is gone (an earlier launch, or the last one
 * after its main process died), wherever they moved (setsid, double fork, reparenting). They are
 * added to the tree record (trees/), so that a later status names them without reading environs.
 */
export function findCookieLeftovers(name: string, ctx: ResolvedContext, table: ProcessTable): ProcessInfo[] {
  const record = readLaunchRecord(name, ctx);
  const over = record !== undefined && launchIsOver(record);
  const liveLaunch = record && !over ? record.launchId : undefined;
  const carriers = cookieCarriers(table, name, ctx.uid, record?.since ?? 0).filter((carrier) => carrier.launch !== liveLaunch);
  const left = carriers.map((carrier) => carrier.info);
  if (left.length > 0) recordEscaped(name, ctx, left, 'earlier');
  if (over && !carriers.some((carrier) => carrier.launch === record.launchId)) forgetLaunch(name, ctx);
  else if (over && !record.over) writeLaunchRecord(name, ctx, { ...record, over: true });
  return left;
}

/**
 * After the program's last launch ended (its main process died) and before anyone looked for its
 * leftovers: a status then reads environs once (findCookieLeftovers), later ones use trees/.
 */
export function launchEndedUnlooked(name: string, ctx: ResolvedContext): boolean {
  const record = readLaunchRecord(name, ctx);
  return record !== undefined && !record.over && launchIsOver(record);
}

/** Every process of the program's launches that `table` shows by cookie (a group stop includes the escaped ones of the live launch). */
export function cookieTree(name: string, ctx: ResolvedContext, table: ProcessTable): ProcessInfo[] {
  return cookieCarriers(table, name, ctx.uid, readLaunchRecord(name, ctx)?.since ?? 0).map((carrier) => carrier.info);
}

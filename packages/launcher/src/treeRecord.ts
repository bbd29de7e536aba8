import fs from 'node:fs';
import path from 'node:path';
import { bootId } from './bootId.js';
import type { ResolvedContext } from './LaunchContext.js';
import { readTextIfExists } from './readTextIfExists.js';
import { ensureStateDir, stateFileName } from './stateDir.js';
import { writeFileAtomic, writeFileAtomicSync } from '@usrsvc/atomicfile';

/** A process of a program's tree, as recorded. */
export interface TreeMember {
  pid: number;
  startTicks: number;
  pgid?: number;
  cmdline: string;
  /** identityKey of the main process it was seen under: members of an earlier main are leftovers. */
  main: string;
}

/** What the state folder keeps of a program's process tree (trees/<program>.json). */
export interface TreeRecord {
  bootId: string;
  /** identityKey of the main process last seen; undefined when none runs. */
  main?: string;
  /** Process groups claimed as the program's own: created by the launcher for it, or led by its main process. */
  groups: number[];
  members: TreeMember[];
}

function recordPath(name: string, ctx: ResolvedContext): string {
  return path.join(ensureStateDir(ctx.stateDir, ctx.uid, 'trees'), `${stateFileName(name)}.json`);
}

/** The program's tree record of this boot; undefined when there is none (or it is unreadable). */
export function readTreeRecord(name: string, ctx: ResolvedContext): TreeRecord | undefined {
  const text = readTextIfExists(recordPath(name, ctx));
  if (text === undefined) return undefined;
  let parsed: Partial<TreeRecord>;
  try {
    parsed = JSON.parse(text) as Partial<TreeRecord>;
  } catch {
    return undefined;
  }
  if (parsed.bootId !== bootId() || !Array.isArray(parsed.members)) return undefined;
  return { bootId: parsed.bootId, main: parsed.main, groups: Array.isArray(parsed.groups) ? parsed.groups : [], members: parsed.members };
}

/** Writes the record (through a rename) unless the file already says the same; an empty record removes it. */
export function writeTreeRecord(name: string, ctx: ResolvedContext, record: Omit<TreeRecord, 'bootId'>): void {
  const file = recordPath(name, ctx);
  if (record.members.length === 0) {
    fs.rmSync(file, { force: true });
    return;
  }
  const text = `${JSON.stringify({ bootId: bootId(), ...record })}\n`;
  try {
    if (fs.readFileSync(file, 'utf8') === text) return;
  } catch {
    // no record yet
  }
  writeFileAtomicSync(file, text, { mode: 0o600 });
}

/** writeTreeRecord off the event loop (see writeLaunchRecordAsync in launchRecord.ts). */
export async function writeTreeRecordAsync(name: string, ctx: ResolvedContext, record: Omit<TreeRecord, 'bootId'>): Promise<void> {
  const file = recordPath(name, ctx);
  if (record.members.length === 0) {
    await fs.promises.rm(file, { force: true });
    return;
  }
  const text = `${JSON.stringify({ bootId: bootId(), ...record })}\n`;
  try {
    if ((await fs.promises.readFile(file, 'utf8')) === text) return;
  } catch {
    // no record yet
  }
  await writeFileAtomic(file, text, { mode: 0o600 });
}

import { isSameProcess } from '@usrsvc/procscan';
import { exitSoon } from './exitSoon.js';
import { closeProbe, openProbe, type ProcFdProbe, probeAlive } from './procFdProbe.js';
import type { ProcessIdentity, StopWatching } from './types.js';

export const DEFAULT_POLL_INTERVAL_MS = 100;

interface PollEntry {
  identity: ProcessIdentity;
  onExit: () => void;
  keepAlive: boolean;
  /** Descriptors kept on the process; absent when none could be opened (then: by path). */
  probe?: ProcFdProbe;
}

/** All watches that share one polling interval share one timer. */
interface PollGroup {
  intervalMs: number;
  entries: Set<PollEntry>;
  keepAliveCount: number;
  timer?: NodeJS.Timeout;
}

const groups = new Map<number, PollGroup>();

/**
 * Checks `identity` every `intervalMs` on a timer shared with every other watch of that interval,
 * through descriptors kept on its /proc entry (procFdProbe.ts), or by path when none can be
 * opened. A zombie counts as exited; a stale identity is reported on the next turn of the loop.
 */
export function pollWatch(
  identity: ProcessIdentity,
  onExit: () => void,
  intervalMs: number,
  keepAlive: boolean,
): StopWatching {
  const probe = openProbe(identity);
  if (probe === 'stale' || (probe === undefined && !isSameProcess(identity))) return exitSoon(onExit);
  const entry: PollEntry = probe ? { identity, onExit, keepAlive, probe } : { identity, onExit, keepAlive };
  const group = groupFor(intervalMs);
  add(group, entry);
  return () => remove(group, entry);
}

/** How many timers polling currently uses (for tests: one per distinct interval). */
export function activePollTimers(): number {
  let count = 0;
  for (const group of groups.values()) if (group.timer) count++;
  return count;
}

function groupFor(intervalMs: number): PollGroup {
  let group = groups.get(intervalMs);
  if (!group) {
    group = { intervalMs, entries: new Set(), keepAliveCount: 0 };
    groups.set(intervalMs, group);
  }
  return group;
}

function add(group: PollGroup, entry: PollEntry): void {
  group.entries.add(entry);
  if (entry.keepAlive) group.keepAliveCount++;
  if (!group.timer) {
    group.timer = setInterval(() => tick(group), group.intervalMs);
  }
  updateRef(group);
}

function remove(group: PollGroup, entry: PollEntry): void {
  if (!group.entries.delete(entry)) return;
  if (entry.probe) closeProbe(entry.probe);
  if (entry.keepAlive) group.keepAliveCount--;
  if (group.entries.size === 0) {
    clearInterval(group.timer);
    group.timer = undefined;
    groups.delete(group.intervalMs);
    return;
  }
  updateRef(group);
}

function updateRef(group: PollGroup): void {
  if (group.keepAliveCount > 0) group.timer?.ref();
  else group.timer?.unref();
}

function tick(group: PollGroup): void {
  const exited: PollEntry[] = [];
  for (const entry of group.entries) {
    const alive = entry.probe ? probeAlive(entry.probe) : isSameProcess(entry.identity);
    if (!alive) exited.push(entry);
  }
  // Remove first, then call back: a callback may add or close watches.
  for (const entry of exited) remove(group, entry);
  for (const entry of exited) entry.onExit();
}

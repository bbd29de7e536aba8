import { isSameProcess } from '@usrsvc/procscan';
import type { ProcessIdentity, StopWatching } from './types.js';

export const DEFAULT_POLL_INTERVAL_MS = 100;

interface PollEntry {
  identity: ProcessIdentity;
  onExit: () => void;
  keepAlive: boolean;
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
 * Checks `identity` every `intervalMs` on a timer shared with every other watch of that interval.
 * The caller has already checked that the process is alive. A zombie counts as exited.
 */
export function pollWatch(
  identity: ProcessIdentity,
  onExit: () => void,
  intervalMs: number,
  keepAlive: boolean,
): StopWatching {
  let group = groups.get(intervalMs);
  if (!group) {
    group = { intervalMs, entries: new Set(), keepAliveCount: 0 };
    groups.set(intervalMs, group);
  }
  const entry: PollEntry = { identity, onExit, keepAlive };
  add(group, entry);
  const owner = group;
  return () => remove(owner, entry);
}

/** How many timers polling currently uses (for tests: one per distinct interval). */
export function activePollTimers(): number {
  let count = 0;
  for (const group of groups.values()) if (group.timer) count++;
  return count;
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
    if (!isSameProcess(entry.identity)) exited.push(entry);
  }
  // Remove first, then call back: a callback may add or close watches.
  for (const entry of exited) remove(group, entry);
  for (const entry of exited) entry.onExit();
}

export type {
  MatchOptions,
  PackedProcReader,
  ProcessIdentity,
  ProcessInfo,
  SnapshotBackend,
  SnapshotOptions,
  SnapshotSyncOptions,
} from './types.js';
export { snapshotProcesses, snapshotProcessesSync } from './snapshotProcesses.js';
export { ProcessTable } from './ProcessTable.js';
export { type CoalescingOptions, coalescingSnapshot } from './coalescingSnapshot.js';
export { readProcess, readExecutable } from './readProcess.js';
export { processIdentity, isSameProcess, isAlive } from './processIdentity.js';
export { isShellWrapper } from './isShellWrapper.js';
export { requiredSuffix } from './requiredSuffix.js';
export { parseProcStat, type ProcStat } from './parseProcStat.js';
export { parseCmdline } from './parseCmdline.js';
export { packedProcEntries } from './packedProcEntries.js';
export { clockTicksPerSecond, pageSize } from './clockTicks.js';
export { bootTime } from './bootTime.js';
export { hasProcfs } from './hasProcfs.js';
export { psBackendLimitations } from './psFields.js';
export { ProcscanUnsupportedError } from './errors.js';
export { isDeadState } from './isDeadState.js';

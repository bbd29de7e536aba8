export { watchExit } from './watchExit.js';
export { exitWatchMode } from './mode.js';
export { ExitWatchError } from './errors.js';
export type { ExitWatch, ExitWatchModeInfo, ProcessIdentity, WatchExitOptions } from './types.js';
export { readExitStatus, parseExitStatus, type ExitStatus } from './exitStatus.js';
export { nativeOrphanSpawn, nativeOrphanSpawnAsync, type OrphanLaunch, type OrphanSpawn, type OrphanSpawnAsync } from './orphanSpawn.js';
export {
  nativeNotifySocket,
  notifySocketUnavailable,
  type NotifyDatagram,
  type NotifySocket,
  type NotifySocketFactory,
} from './notifySocket.js';
export { nativeTryLockFile, type TryLockFile } from './fileLock.js';
export { nativeClient, type NativeClient } from './nativeClient.js';
export { nativeProcReader } from './procReader.js';

export { LogFileError } from './LogFileError.js';
export { readTail, type ReadTailOptions, type FileTail } from './readTail.js';
export { followFile, followFileEvents, type FollowOptions, type FollowEvent } from './followFile.js';
export { logLines, programLogSources, type LogSource, type LogLine, type LogStream, type LogLinesOptions } from './logLines.js';
export { findFileWriters, O_APPEND, type FileWriter, type FindWritersOptions } from './fileWriters.js';
export { chooseRotation, type RotationMethod } from './chooseRotation.js';
export { copyTruncate, type CopyTruncateResult } from './copyTruncate.js';
export { rotateLog, type RotateOptions, type RotateResult } from './rotateLog.js';
export { backupName, shiftBackups, compressFile } from './backups.js';

export { memoryLogger, type LogEntry } from './memoryLogger.js';

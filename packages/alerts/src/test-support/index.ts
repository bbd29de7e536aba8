export { memoryLogger, type LogEntry } from '@usrsvc/testkit';

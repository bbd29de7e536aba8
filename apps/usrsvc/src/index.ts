export { runUsrsvcCli, type CliIo } from './main.js';
export type { ResultJson } from '@usrsvc/cli-actions';

export { runUsrsvcCli, type CliIo } from './main.js';
export type { ResultJson } from './resultJson.js';

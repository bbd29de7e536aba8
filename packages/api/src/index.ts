export { createApiClient, type ApiClient, type ApiClientOptions, type LogsOptions, type StreamOptions } from './createApiClient.js';
export { apiSocketPath } from './socketPath.js';
export { ApiError, DaemonUnavailableError } from './errors.js';
export { readServerSentEvents } from './readServerSentEvents.js';
export { actionResultView, type ActionResultLike } from './actionResultView.js';
export { processView, type RunningProcessLike } from './processView.js';
export * from './types.js';
export { viewStatus, unmanagedWords, type ProgramStatus } from './viewStatus.js';
export { formatDuration, formatMemory } from './format.js';

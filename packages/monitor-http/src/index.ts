export { httpMonitorPlugin as default, httpMonitorPlugin } from './httpMonitorPlugin.js';
export { DEFAULT_HTTP_EXPECT_STATUS, DEFAULT_HTTP_FAILURES, DEFAULT_HTTP_TIMEOUT_SECONDS } from './httpMonitorPlugin.js';
export { createHttpMonitor, type HttpMonitorOptions } from './httpMonitor.js';
export { parseExpectStatus } from './expectStatus.js';

import type { MonitorPlugin } from '@usrsvc/monitors';
import { parseExpectStatus, validateExpectStatus } from './expectStatus.js';
import { createHttpMonitor } from './httpMonitor.js';

export const DEFAULT_HTTP_TIMEOUT_SECONDS = 2;
export const DEFAULT_HTTP_EXPECT_STATUS = '2xx';
export const DEFAULT_HTTP_FAILURES = 3;

function validateUrl(value: unknown): string | undefined {
  try {
    const url = new URL(String(value));
    if (url.protocol === 'http:' || url.protocol === 'https:') return undefined;
  } catch {
    // not a URL: fall through
  }
  return 'must be an http:// or https:// URL';
}

/**
 * The `http` monitor plugin: restarts a program whose HTTP health endpoint fails
 * `http_failures` times in a row. Built exactly like a third-party plugin: it imports only types
 * from @usrsvc/monitors.
 */
export const httpMonitorPlugin: MonitorPlugin = {
  name: 'http',
  keys: {
    http_url: { type: 'string', validate: validateUrl, description: 'health endpoint; http:// or https://' },
    http_timeout: {
      type: 'number',
      default: DEFAULT_HTTP_TIMEOUT_SECONDS,
      validate: (value) => (Number(value) > 0 ? undefined : 'must be greater than 0'),
      description: 'seconds to wait for an answer',
    },
    http_expect_status: {
      type: 'string',
      default: DEFAULT_HTTP_EXPECT_STATUS,
      validate: validateExpectStatus,
      description: 'healthy statuses: codes and classes, e.g. "200" or "2xx,301"',
    },
    http_failures: {
      type: 'integer',
      default: DEFAULT_HTTP_FAILURES,
      validate: (value) => (Number.isInteger(Number(value)) && Number(value) >= 1 ? undefined : 'must be an integer of 1 or more'),
      description: 'consecutive failures before a restart',
    },
  },
  create(program) {
    const settings = program.monitoring;
    const url = settings.http_url;
    if (url === undefined || url === null || url === '') return undefined;
    const problem = validateUrl(url);
    if (problem) throw new Error(`http_url ${problem}`);
    const expect = parseExpectStatus(settings.http_expect_status ?? DEFAULT_HTTP_EXPECT_STATUS);
    if (typeof expect === 'string') throw new Error(`http_expect_status ${expect}`);
    const timeout = Number(settings.http_timeout ?? DEFAULT_HTTP_TIMEOUT_SECONDS);
    const failures = Number(settings.http_failures ?? DEFAULT_HTTP_FAILURES);
    return createHttpMonitor({
      url: String(url),
      timeoutMs: Math.round((timeout > 0 ? timeout : DEFAULT_HTTP_TIMEOUT_SECONDS) * 1000),
      expect,
      failures: Number.isInteger(failures) && failures >= 1 ? failures : DEFAULT_HTTP_FAILURES,
    });
  },
};

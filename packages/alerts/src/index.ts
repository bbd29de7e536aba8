export { createAlerter } from './createAlerter.js';
export { formatAlertMessage, describeHeldBack, type AlertMessageContext } from './formatAlertMessage.js';
export { findSendmail, STANDARD_SENDMAIL_PATHS, type FindSendmailOptions } from './findSendmail.js';
export { readStderrTail, type ReadStderrTailOptions } from './readStderrTail.js';
export { createTransport, parseSmtpUrl, redactSmtpUrl, type AlertTransport, type CreateTransportOptions } from './createTransport.js';
export { RateLimiter, type ReleasedAlert } from './rateLimiter.js';
export { SummaryBuilder, MAX_REASONS } from './SummaryBuilder.js';
export { AlertQueue } from './AlertQueue.js';
export { AlertConfigError, AlertSendError, AlertTimeoutError } from './errors.js';
export {
  ALERT_KINDS,
  type AlertEvent,
  type AlertKind,
  type AlertMessage,
  type Alerter,
  type AlerterOptions,
  type AlerterStats,
  type HeldBackSummary,
  type Logger,
  type StderrTail,
} from './types.js';

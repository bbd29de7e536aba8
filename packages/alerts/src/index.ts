export { createAlerter } from './createAlerter.js';
export { formatAlertMessage, describeHeldBack, type AlertMessageContext } from './formatAlertMessage.js';
export { findSendmail, STANDARD_SENDMAIL_PATHS, type FindSendmailOptions } from './findSendmail.js';
export { readStderrTail, type ReadStderrTailOptions } from './readStderrTail.js';
export { createTransport, parseSmtpUrl, redactSmtpUrl, type AlertTransport, type CreateTransportOptions } from './createTransport.js';
export { RateLimiter, ROUTINE_ALERT_KINDS, type ReleasedAlert } from './rateLimiter.js';
export { SummaryBuilder, MAX_REASONS } from './SummaryBuilder.js';
export { AlertQueue } from './AlertQueue.js';
export { DeliveryQueue } from './DeliveryQueue.js';
export { retryWithBackoff, RetriesExhausted, type RetryOptions } from './retryWithBackoff.js';
export { signWebhookBody, verifyWebhookSignature, WEBHOOK_SIGNATURE_HEADER } from './signWebhookBody.js';
export { webhookPayload, type WebhookPayload } from './webhookPayload.js';
export { ALERTMANAGER_ALERTS, type PostableAlert } from './alertmanagerAlerts.js';
export { postJson, redactHttpUrl } from './postJson.js';
export { AlertConfigError, AlertSendError, AlertTimeoutError, HttpDeliveryError } from './errors.js';
export {
  ALERT_KINDS,
  TRANSPORT_NAMES,
  type AlertEvent,
  type AlertKind,
  type AlertMessage,
  type Alerter,
  type AlerterOptions,
  type AlerterStats,
  type HeldBackSummary,
  type Logger,
  type StderrTail,
  type TransportName,
  type TransportStats,
  type WebhookTarget,
} from './types.js';

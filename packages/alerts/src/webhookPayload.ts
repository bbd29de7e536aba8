import { formatAlertMessage } from './formatAlertMessage.js';
import type { AlertEvent, AlertKind, HeldBackSummary, StderrTail } from './types.js';

/** The JSON body of a webhook POST. `text` makes a Slack or Mattermost incoming webhook show it as is. */
export interface WebhookPayload {
  program: string;
  event: AlertKind;
  reason: string;
  account: string;
  host: string;
  pid: number | null;
  /** ISO 8601, UTC. */
  time: string;
  /** Last lines of the program's stderr file at send time; [] when unset or unreadable. */
  stderrTail: string[];
  /** One line for people: "[usrsvc] web restarted on web@host1: exited unexpectedly". */
  text: string;
  /** Events of this program held back by alert_interval since the previous POST, when any. */
  heldBack?: { count: number; byKind: HeldBackSummary['byKind']; reasons: HeldBackSummary['reasons'] };
}

export function webhookPayload(
  event: AlertEvent,
  context: { account: string; host: string; stderrTail?: StderrTail; heldBack?: HeldBackSummary },
): WebhookPayload {
  const messageContext: Parameters<typeof formatAlertMessage>[1] = { account: context.account, host: context.host };
  if (context.heldBack) messageContext.heldBack = context.heldBack;
  const payload: WebhookPayload = {
    program: event.program,
    event: event.kind,
    reason: event.reason,
    account: context.account,
    host: context.host,
    pid: event.pid ?? null,
    time: Number.isNaN(event.time.getTime()) ? new Date().toISOString() : event.time.toISOString(),
    stderrTail: context.stderrTail?.lines ?? [],
    text: formatAlertMessage(event, messageContext).subject,
  };
  if (context.heldBack && context.heldBack.count > 0) {
    payload.heldBack = { count: context.heldBack.count, byKind: context.heldBack.byKind, reasons: context.heldBack.reasons };
  }
  return payload;
}

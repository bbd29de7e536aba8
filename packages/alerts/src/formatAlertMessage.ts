import type { AlertEvent, AlertKind, AlertMessage, HeldBackSummary, StderrTail } from './types.js';

export interface AlertMessageContext {
  /** The user usrsvcd runs as. */
  account: string;
  host: string;
  /** The stderr tail read at send time, when the event names a stderr file. */
  stderrTail?: StderrTail;
  /** Earlier events of the same program held back by the rate limit. */
  heldBack?: HeldBackSummary;
}

/** What each kind of event did, as a phrase after the program's name. */
const KIND_PHRASES: Record<AlertKind, string> = {
  started: 'was found not running and was started',
  restarted: 'stopped and was restarted',
  'monitor-restart': 'was restarted by a monitor',
  'gave-up': 'keeps stopping: usrsvcd gave up restarting it (maxrestarts reached)',
  recovered: 'is running again (for success_seconds)',
};

const KIND_SHORT: Record<AlertKind, string> = {
  started: 'started',
  restarted: 'restarted',
  'monitor-restart': 'restarted by monitor',
  'gave-up': 'GAVE UP',
  recovered: 'recovered',
};

/** Plural nouns for "and 12 more restarts". */
const KIND_NOUNS: Record<AlertKind, [string, string]> = {
  started: ['start', 'starts'],
  restarted: ['restart', 'restarts'],
  'monitor-restart': ['monitor restart', 'monitor restarts'],
  'gave-up': ['give-up', 'give-ups'],
  recovered: ['recovery', 'recoveries'],
};

/** "and 12 more restarts", "and 1 more alert" (mixed kinds). */
export function describeHeldBack(summary: HeldBackSummary): string {
  const kinds = Object.keys(summary.byKind) as AlertKind[];
  const plural = summary.count !== 1;
  let noun: string;
  if (kinds.length === 1 && kinds[0] !== undefined) {
    noun = KIND_NOUNS[kinds[0]][plural ? 1 : 0];
  } else if (kinds.every((kind) => kind === 'restarted' || kind === 'monitor-restart')) {
    noun = plural ? 'restarts' : 'restart';
  } else {
    noun = plural ? 'alerts' : 'alert';
  }
  return `and ${summary.count} more ${noun}`;
}

/** Builds an alert's subject and plain-text body. Pure: everything it shows comes in its arguments. */
export function formatAlertMessage(event: AlertEvent, context: AlertMessageContext): AlertMessage {
  const heldBack = context.heldBack && context.heldBack.count > 0 ? context.heldBack : undefined;
  const where = `${context.account}@${context.host}`;
  const subject =
    `[usrsvc] ${event.program} ${KIND_SHORT[event.kind]} on ${where}: ${oneLine(event.reason)}` +
    (heldBack ? ` (${describeHeldBack(heldBack)})` : '');

  const lines: string[] = [
    `usrsvcd on ${context.host} (account ${context.account}): program "${event.program}" ${KIND_PHRASES[event.kind]}.`,
    '',
    `Program: ${event.program}`,
    `Event:   ${event.kind}`,
    `Reason:  ${oneLine(event.reason)}`,
    `Time:    ${formatTime(event.time)}`,
    `Account: ${context.account}`,
    `Host:    ${context.host}`,
  ];

  if (heldBack) {
    lines.push(
      '',
      `Held back since the previous mail (alert_interval), ${describeHeldBack(heldBack)}:`,
      `  from ${formatTime(heldBack.first)} to ${formatTime(heldBack.last)}`,
      ...Object.entries(heldBack.byKind).map(([kind, count]) => `  ${kind}: ${count}`),
      '  reasons:',
      ...heldBack.reasons.map(({ reason, count }) => `    ${count} x ${oneLine(reason)}`),
      ...(heldBack.otherReasons > 0 ? [`    ${heldBack.otherReasons} x (other reasons)`] : []),
    );
  }

  const tail = context.stderrTail;
  if (tail) {
    lines.push('');
    if (tail.error !== undefined) {
      lines.push(`stderr (${tail.file}) could not be read: ${tail.error}`);
    } else if (tail.lines.length === 0) {
      lines.push(`stderr (${tail.file}) is empty.`);
    } else {
      lines.push(`Last ${tail.lines.length} lines of stderr (${tail.file}):`, '', ...tail.lines.map((line) => `  ${line}`));
    }
  }

  lines.push('', '-- ', 'usrsvcd (email_alerts)');
  return { subject, text: `${lines.join('\n')}\n` };
}

function formatTime(time: Date): string {
  return Number.isNaN(time.getTime()) ? String(time) : time.toISOString();
}

/** Headers and summary lines must stay on one line. */
function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

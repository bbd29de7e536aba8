// The alert kinds alone, as `@usrsvc/alerts/kinds`: what a daemon needs to reason about alerts
// without loading the transports (nodemailer and, with it, tls, crypto, dns...), which the package
// index loads.
import type { AlertKind } from './types.js';

export { ALERT_KINDS, type AlertKind } from './types.js';

/** Notices that are no failure: they never use up a program's interval, so the first failure after them goes out at once. */
export const ROUTINE_ALERT_KINDS: ReadonlySet<AlertKind> = new Set<AlertKind>(['started', 'recovered']);

import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import { AlertConfigError } from './errors.js';
import { type FindSendmailOptions, findSendmail } from './findSendmail.js';

/** How alerts leave this machine, or why they cannot. */
export type AlertTransport =
  | { kind: 'smtp' | 'sendmail'; transporter: Transporter; description: string }
  | { kind: 'none'; reason: string };

export interface CreateTransportOptions {
  sendmailPath?: string;
  smtpUrl?: string;
  env?: NodeJS.ProcessEnv;
  findSendmailOptions?: FindSendmailOptions;
}

/** Seconds an SMTP server may take at each step before the attempt fails (nodemailer's defaults are minutes). */
const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };

/**
 * Picks the transport: SMTP when smtp_url is set, else sendmail (sendmail_path, "auto" searched),
 * else none. Throws AlertConfigError for an smtp_url that is not smtp:// or smtps:// with a host.
 */
export function createTransport(options: CreateTransportOptions): AlertTransport {
  if (options.smtpUrl !== undefined && options.smtpUrl.trim() !== '') {
    const url = parseSmtpUrl(options.smtpUrl.trim());
    return {
      kind: 'smtp',
      // nodemailer reads host, port, secure (smtps:), credentials and ?options from the URL itself.
      transporter: nodemailer.createTransport({ url: url.href, ...SMTP_TIMEOUTS }),
      description: `SMTP ${redactSmtpUrl(url)}`,
    };
  }
  const setting = options.sendmailPath ?? 'auto';
  const found = findSendmail(setting, options.env ?? process.env, options.findSendmailOptions);
  if (found === undefined) {
    const isAuto = setting.trim() === '' || setting.trim().toLowerCase() === 'auto';
    return {
      kind: 'none',
      reason: isAuto
        ? 'no sendmail found (sendmail_path = auto searched /usr/sbin/sendmail, /usr/bin/sendmail and PATH) and no smtp_url set'
        : `sendmail_path ${setting} is not an executable file and no smtp_url set`,
    };
  }
  return {
    kind: 'sendmail',
    transporter: nodemailer.createTransport({ sendmail: true, path: found, newline: 'unix' }),
    description: `sendmail ${found}`,
  };
}

/** Checks an smtp_url; throws AlertConfigError naming what is wrong. */
export function parseSmtpUrl(smtpUrl: string): URL {
  let url: URL;
  try {
    url = new URL(smtpUrl);
  } catch {
    throw new AlertConfigError('smtp_url', redactText(smtpUrl), 'not a URL; expected smtp://[user:password@]host[:port] or smtps://...');
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
    throw new AlertConfigError('smtp_url', redactSmtpUrl(url), `scheme ${url.protocol} is not supported; use smtp:// or smtps://`);
  }
  if (url.hostname === '') {
    throw new AlertConfigError('smtp_url', redactSmtpUrl(url), 'has no host');
  }
  return url;
}

/** The URL without its password, for logs. */
export function redactSmtpUrl(url: URL): string {
  if (url.password === '') return url.href;
  const copy = new URL(url.href);
  copy.password = '***';
  return copy.href;
}

function redactText(text: string): string {
  return text.replace(/(\/\/[^:/@]*:)[^@/]*@/, '$1***@');
}

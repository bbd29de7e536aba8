import fs from 'node:fs';
import path from 'node:path';
import { type ParsedMail, parseRawMail } from './parseRawMail.js';

const SEPARATOR = '=====FAKE-SENDMAIL-INVOCATION=====';

export interface FakeSendmailOptions {
  /** Exit status (default 0). */
  exitCode?: number;
  /** Seconds to sleep before reading stdin (to keep the queue busy). */
  delaySeconds?: number;
  /** File name inside `dir` (default "sendmail"). */
  name?: string;
}

export interface CapturedMail extends ParsedMail {
  argv: string[];
}

/**
 * Writes an executable sh script standing in for sendmail: each invocation appends its argv
 * (one per line) and its stdin to `captureFile`. Returns the script's path.
 */
export function writeFakeSendmail(dir: string, captureFile: string, options: FakeSendmailOptions = {}): string {
  const script = path.join(dir, options.name ?? 'sendmail');
  const quoted = `'${captureFile.replace(/'/g, `'\\''`)}'`;
  fs.writeFileSync(
    script,
    [
      '#!/bin/sh',
      options.delaySeconds ? `sleep ${options.delaySeconds}` : '',
      `{ echo '${SEPARATOR}'; for arg in "$@"; do printf 'ARG %s\\n' "$arg"; done; echo 'STDIN'; cat; } >> ${quoted}`,
      `exit ${options.exitCode ?? 0}`,
      '',
    ].join('\n'),
    { mode: 0o755 },
  );
  return script;
}

/** Reads back what the fake sendmail captured, one entry per invocation. */
export function readCapturedMails(captureFile: string): CapturedMail[] {
  let content: string;
  try {
    content = fs.readFileSync(captureFile, 'utf8');
  } catch {
    return [];
  }
  return content
    .split(`${SEPARATOR}\n`)
    .slice(1)
    .map((block) => {
      const stdinAt = block.indexOf('STDIN\n');
      const argv = block
        .slice(0, stdinAt)
        .split('\n')
        .filter((line) => line.startsWith('ARG '))
        .map((line) => line.slice(4));
      return { argv, ...parseRawMail(block.slice(stdinAt + 'STDIN\n'.length)) };
    });
}

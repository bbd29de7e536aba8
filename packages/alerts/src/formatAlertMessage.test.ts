import { describe, expect, it } from 'vitest';
import { describeHeldBack, formatAlertMessage } from './formatAlertMessage.js';
import type { AlertEvent } from './types.js';

const event: AlertEvent = {
  program: 'web',
  recipients: ['ops@example.com'],
  kind: 'restarted',
  reason: 'exited unexpectedly\n(signal SIGKILL)',
  time: new Date('2026-01-02T03:04:05.000Z'),
  stderrFile: '/srv/web/err.log',
};

describe('formatAlertMessage', () => {
  it('puts account, host, program, event, reason and time in subject and body', () => {
    const { subject, text } = formatAlertMessage(event, { account: 'alice', host: 'box' });
    expect(subject).toBe('[usrsvc] web restarted on alice@box: exited unexpectedly (signal SIGKILL)');
    expect(text).toContain('program "web" stopped and was restarted');
    expect(text).toContain('Program: web\n');
    expect(text).toContain('Event:   restarted\n');
    expect(text).toContain('Reason:  exited unexpectedly (signal SIGKILL)\n');
    expect(text).toContain('Time:    2026-01-02T03:04:05.000Z\n');
    expect(text).toContain('Account: alice\n');
    expect(text).toContain('Host:    box\n');
  });

  it('describes each kind', () => {
    const context = { account: 'a', host: 'h' };
    expect(formatAlertMessage({ ...event, kind: 'started' }, context).text).toContain('found not running and was started');
    expect(formatAlertMessage({ ...event, kind: 'monitor-restart' }, context).subject).toContain('web restarted by monitor');
    expect(formatAlertMessage({ ...event, kind: 'gave-up' }, context).subject).toContain('web GAVE UP');
  });

  it('shows the stderr tail, or why it could not be read', () => {
    const tail = { file: '/srv/web/err.log', lines: ['boom', 'at main'], truncated: true };
    const { text } = formatAlertMessage(event, { account: 'a', host: 'h', stderrTail: tail });
    expect(text).toContain('Last 2 lines of stderr (/srv/web/err.log):\n\n  boom\n  at main\n');
    const missing = formatAlertMessage(event, {
      account: 'a',
      host: 'h',
      stderrTail: { file: '/x', lines: [], truncated: false, error: 'ENOENT' },
    });
    expect(missing.text).toContain('stderr (/x) could not be read: ENOENT');
  });

  it('sums up held-back events in subject and body', () => {
    const heldBack = {
      count: 12,
      byKind: { restarted: 10, 'monitor-restart': 2 },
      reasons: [
        { reason: 'exited unexpectedly', count: 10 },
        { reason: 'rss 2048 kB > 1024 kB', count: 2 },
      ],
      otherReasons: 0,
      first: new Date('2026-01-02T03:00:00.000Z'),
      last: new Date('2026-01-02T03:04:00.000Z'),
    };
    const { subject, text } = formatAlertMessage(event, { account: 'a', host: 'h', heldBack });
    expect(subject).toMatch(/\(and 12 more restarts\)$/);
    expect(text).toContain('restarted: 10');
    expect(text).toContain('monitor-restart: 2');
    expect(text).toContain('10 x exited unexpectedly');
    expect(text).toContain('2 x rss 2048 kB > 1024 kB');
  });

  it('names the held-back events by their kind', () => {
    const base = { reasons: [], otherReasons: 0, first: new Date(), last: new Date() };
    expect(describeHeldBack({ ...base, count: 1, byKind: { restarted: 1 } })).toBe('and 1 more restart');
    expect(describeHeldBack({ ...base, count: 3, byKind: { started: 3 } })).toBe('and 3 more starts');
    expect(describeHeldBack({ ...base, count: 4, byKind: { started: 1, 'gave-up': 3 } })).toBe('and 4 more alerts');
  });
});

import { describe, expect, it } from 'vitest';
import { makeColors } from './colors.js';
import type { ResultJson } from './resultJson.js';
import { formatStatusTable } from './statusTable.js';

function status(overrides: Partial<ResultJson>): ResultJson {
  return {
    name: 'x',
    action: 'status',
    code: 1,
    codeName: 'GENERAL_FAILURE',
    outcome: 'not-running',
    message: '',
    running: false,
    pid: null,
    cmdline: null,
    argv: null,
    executable: null,
    startTime: null,
    uptimeSeconds: null,
    rssKb: null,
    stderrTail: [],
    leftovers: [],
    ...overrides,
  };
}

describe('formatStatusTable', () => {
  it('aligns name, state, pid, uptime and memory', () => {
    const table = formatStatusTable(
      [
        { status: status({ name: 'web', running: true, pid: 4242, uptimeSeconds: 303, rssKb: 12_595 }), enabled: true },
        { status: status({ name: 'worker-long-name' }), enabled: true },
        { status: status({ name: 'old', outcome: 'stopped-by-user' }), enabled: true },
        { status: status({ name: 'off' }), enabled: false },
      ],
      makeColors(false),
    );
    expect(table.split('\n')).toEqual([
      'NAME              STATE              PID   UPTIME  MEMORY',
      'web               running            4242  5m 3s   12.3 MB',
      'worker-long-name  stopped            -     -       -',
      'old               stopped (by user)  -     -       -',
      'off               disabled           -     -       -',
    ]);
  });
});

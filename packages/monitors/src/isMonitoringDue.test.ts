import { describe, expect, it } from 'vitest';
import { isMonitoringDue, monitoringDueAt } from './isMonitoringDue.js';

const program = (monitor_after: number) => ({ monitoring: { monitor_after } });
const started = { startTime: 1_000_000 };

describe('isMonitoringDue', () => {
  it('waits monitor_after seconds from the process start', () => {
    expect(isMonitoringDue(program(30), started, 1_000_000 + 29_999)).toBe(false);
    expect(isMonitoringDue(program(30), started, 1_000_000 + 30_000)).toBe(true);
    expect(isMonitoringDue(program(30), started, 1_000_000 + 90_000)).toBe(true);
    expect(monitoringDueAt(program(30), started)).toBe(1_030_000);
  });

  it('monitors at once when monitor_after is 0', () => {
    expect(isMonitoringDue(program(0), started, 1_000_000)).toBe(true);
    expect(isMonitoringDue(program(0), started, 999_000)).toBe(true);
    expect(monitoringDueAt(program(0), started)).toBe(1_000_000);
  });

  it('does not monitor a process that started in the future of `now` (clock step)', () => {
    expect(isMonitoringDue(program(5), started, 990_000)).toBe(false);
  });
});

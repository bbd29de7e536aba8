import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAuxv } from './auxv.js';
import { bootTime } from './bootTime.js';
import { clockTicksPerSecond, pageSize } from './clockTicks.js';

const getconf = (name: string) => Number(execFileSync('getconf', [name], { encoding: 'utf8' }));

describe('system constants', () => {
  it('reads USER_HZ and the page size from auxv, as getconf reports them', () => {
    expect(clockTicksPerSecond()).toBe(getconf('CLK_TCK'));
    expect(pageSize()).toBe(getconf('PAGESIZE'));
  });

  it('parses an auxiliary vector up to AT_NULL', () => {
    const words = new BigUint64Array([6n, 4096n, 17n, 100n, 0n, 0n, 17n, 999n]);
    const vector = parseAuxv(Buffer.from(words.buffer), 8);
    expect(vector.get(6)).toBe(4096);
    expect(vector.get(17)).toBe(100);
  });

  it('knows the boot time to better than a second, agreeing with /proc/stat btime', () => {
    const btime = Number(/^btime (\d+)$/m.exec(fs.readFileSync('/proc/stat', 'utf8'))?.[1]) * 1000;
    expect(bootTime()).toBeGreaterThanOrEqual(btime - 1000);
    expect(bootTime()).toBeLessThanOrEqual(btime + 2000);
    expect(bootTime()).toBe(bootTime());
  });
});

import fs from 'node:fs';
import path from 'node:path';
import { makeTempHome, Reaper, startProcess, type TempHome, waitFor } from '@usrsvc/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseProcStat } from './parseProcStat.js';
import { readProcess } from './readProcess.js';

const STAT_TAIL = 'S 1 42 42 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 123456 2000000 321 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0';

describe('parseProcStat', () => {
  it('reads pid, name, state, ppid, process group, session, start ticks and rss pages', () => {
    expect(parseProcStat(`42 (sleep) ${STAT_TAIL}`)).toEqual({
      pid: 42,
      name: 'sleep',
      state: 'S',
      ppid: 1,
      pgid: 42,
      sid: 42,
      startTicks: 123456,
      rssPages: 321,
    });
  });

  it('takes the name up to the LAST parenthesis, spaces and parentheses included', () => {
    const stat = parseProcStat(`7 (a) b (c) d) ${STAT_TAIL}`);
    expect(stat?.name).toBe('a) b (c) d');
    expect(stat?.ppid).toBe(1);
    expect(stat?.startTicks).toBe(123456);
  });

  it('rejects text that is not a stat line', () => {
    expect(parseProcStat('')).toBeUndefined();
    expect(parseProcStat('12 no parens')).toBeUndefined();
  });
});

describe('a real process whose name holds spaces and parentheses', () => {
  let home: TempHome;
  const reaper = new Reaper();
  beforeEach(() => {
    home = makeTempHome('procscan-test-');
  });
  afterEach(() => {
    reaper.killAll();
    home.remove();
  });

  it('is read with its exact name and correct fields', async () => {
    // comm is the executable's file name (up to 15 bytes): a link to sleep named ") x (y) z".
    const link = path.join(home.dir, ') x (y) z');
    fs.symlinkSync(fs.realpathSync('/bin/sleep'), link);
    const pid = startProcess(reaper, link, ['60']);
    const info = await waitFor('the renamed sleep to exec', () => {
      const read = readProcess(pid);
      return read?.name === ') x (y) z' && read;
    });
    expect(info.ppid).toBe(process.pid);
    expect(info.argv).toEqual([link, '60']);
    expect(info.state).toMatch(/^[RS]$/);
  });
});

import { describe, expect, it } from 'vitest';
import { ProcessTable } from './ProcessTable.js';
import { requiredSuffix } from './requiredSuffix.js';
import type { ProcessInfo } from './types.js';

describe('requiredSuffix', () => {
  it('is the plain text before a final $: the default proctitle_re ends with the last word', () => {
    expect(requiredSuffix(/\/usr\/bin\/python3 -c import time,sys; time\.sleep\(10\*\*6\) svc12$/)).toBe('/usr/bin/python3 -c import time,sys; time.sleep(10**6) svc12');
    expect(requiredSuffix(/redis-server \*:6379$/)).toBe('redis-server *:6379');
    expect(requiredSuffix(/gunicorn: master \[app\]$/)).toBe('gunicorn: master [app]');
  });

  it('is empty when a match need not end with fixed text', () => {
    for (const re of [/gunicorn: master/, /web$|api$/, /(web)$/, /webs?$/, /web+$/, /web.*$/, /web\d$/, /\x41$/, /web[0-9]$/, /web{2}$/, /web$/m, /web$/i, /\bweb\b/, /^web/, /a$b/]) {
      expect(requiredSuffix(re), re.source).toBe('');
    }
  });

  it('keeps only the text after anything that is not plain', () => {
    expect(requiredSuffix(/^sleep \d+ worker-7$/)).toBe(' worker-7');
    expect(requiredSuffix(/nginx: [a-z]+ process$/)).toBe(' process');
    expect(requiredSuffix(/(?<=x)abc$/)).toBe('abc');
  });
});

describe('ProcessTable.candidates', () => {
  const info = (pid: number, cmdline: string): ProcessInfo => ({
    pid,
    ppid: 1,
    pgid: pid < 20 ? 5 : 6,
    uid: 1000,
    argv: cmdline.split(' '),
    cmdline,
    name: cmdline.split(' ')[0] ?? '',
    state: 'S',
    startTicks: pid,
    startTime: pid,
    rssKb: 0,
  });
  const table = new ProcessTable([info(10, 'sleep 100 svc1'), info(11, 'sleep 100 svc11'), info(12, 'x'), info(20, 'sleep 200 svc1'), info(21, 'svc1')]);

  it('narrows to the titles that end with the required text, in table order, and never drops a match', () => {
    const re = /sleep \d+ svc1$/;
    expect(table.candidates(re).map((p) => p.pid)).toEqual([10, 20]);
    const all = table.processes.filter((p) => re.test(p.cmdline)).map((p) => p.pid);
    expect(table.candidates(re).filter((p) => re.test(p.cmdline)).map((p) => p.pid)).toEqual(all);
    expect(table.match(re).map((p) => p.pid)).toEqual(all);
  });

  it('is every process when the regex has no required text (or one too short to index)', () => {
    expect(table.candidates(/svc/)).toHaveLength(5);
    expect(table.candidates(/c1$/)).toHaveLength(5);
  });

  it('finds the members of a process group', () => {
    expect(table.inGroup(5).map((p) => p.pid)).toEqual([10, 11, 12]);
    expect(table.inGroup(7)).toEqual([]);
  });
});

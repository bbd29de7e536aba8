import { readConfig } from '@usrsvc/config';
import { ancestorsOf, isInitOrSubreaper, procStat, readPidfile } from '@usrsvc/testkit';
import { describe, expect, it } from 'vitest';
import { programStatus } from './programStatus.js';
import { startProgram } from './startProgram.js';
import { stopProgram } from './stopProgram.js';
import { useHarness } from './test-support/harness.js';
import { sleeper } from './test-support/programConfig.js';

describe('programs read by @usrsvc/config', () => {
  const h = useHarness();

  it('start, show status and stop, with the default proctitle_re of a useshell && command', async () => {
    h.home.write(
      'usrsvc.cfg',
      [
        '[Main]',
        `pidfile=${h.home.path('usrsvcd.pid')}`,
        '',
        '[Program:web]',
        `command=cd ${h.home.dir} && ${sleeper(h.home)} 370`,
        'useshell=True',
        `pidfile=${h.home.path('web.pid')}`,
        `stdout=${h.home.path('web.log')}`,
        'success_seconds=1',
        '[[Env]]',
        'GREETING=hello',
        '',
      ].join('\n'),
    );
    const config = readConfig({ env: h.home.env() });
    const web = config.programs.get('web')!;
    const started = await startProgram(web, h.ctx, h.track);
    h.reaper.track(started.process?.pid);
    expect(started).toMatchObject({ code: 0, outcome: 'started', process: { argv: [sleeper(h.home), '370'] } });
    expect(readPidfile(web.pidfile)).toBe(started.process!.pid);
    // useshell: the program runs under its `sh -c` wrapper, and the wrapper under init
    const wrapper = procStat(started.process!.pid)!.ppid;
    expect(isInitOrSubreaper(procStat(wrapper)!.ppid)).toBe(true);
    expect(ancestorsOf(started.process!.pid)).not.toContain(process.pid);
    expect((await programStatus(web, h.ctx)).code).toBe(0);
    expect((await stopProgram(web, h.ctx)).outcome).toBe('terminated');
  });
});

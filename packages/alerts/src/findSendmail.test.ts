import fs from 'node:fs';
import { makeTempHome, type TempHome } from '@usrsvc/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findSendmail } from './findSendmail.js';

describe('findSendmail', () => {
  let home: TempHome;
  beforeEach(() => {
    home = makeTempHome('usrsvc-alerts-');
  });
  afterEach(() => home.remove());

  it('"auto" finds an executable sendmail in a PATH entry, after the standard places', () => {
    const empty = home.path('empty');
    fs.mkdirSync(empty);
    const script = home.write('bin/sendmail', '#!/bin/sh\nexit 0\n', 0o755);
    const env = { PATH: [empty, home.path('bin')].join(':') };
    expect(findSendmail('auto', env, { standardPaths: [] })).toBe(script);
    expect(findSendmail(undefined, env, { standardPaths: [] })).toBe(script);
    expect(findSendmail('AUTO', env, { standardPaths: [home.path('missing'), script] })).toBe(script);
  });

  it('the standard places come before PATH', () => {
    const standard = home.write('std/sendmail', '#!/bin/sh\n', 0o755);
    home.write('bin/sendmail', '#!/bin/sh\n', 0o755);
    expect(findSendmail('auto', { PATH: home.path('bin') }, { standardPaths: [standard] })).toBe(standard);
  });

  it('skips files that are not executable, folders and relative PATH entries', () => {
    home.write('noexec/sendmail', '#!/bin/sh\n', 0o644);
    fs.mkdirSync(home.path('dir/sendmail'), { recursive: true });
    const env = { PATH: [home.path('noexec'), home.path('dir'), 'relative', ''].join(':') };
    expect(findSendmail('auto', env, { standardPaths: [] })).toBeUndefined();
    expect(findSendmail('auto', {}, { standardPaths: [] })).toBeUndefined();
  });

  it('an explicit path is used when executable, else nothing', () => {
    const script = home.write('x/my-sendmail', '#!/bin/sh\n', 0o755);
    expect(findSendmail(script, {})).toBe(script);
    expect(findSendmail(home.path('x/missing'), {})).toBeUndefined();
  });
});

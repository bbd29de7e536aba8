import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ADDON_PATH } from './addon.js';
import { ExitWatchError } from './errors.js';
import { exitWatchMode, MODE_ENV } from './mode.js';
import { watchExit } from './watchExit.js';

const addonBuilt = fs.existsSync(fileURLToPath(new URL(ADDON_PATH, import.meta.url)));

describe('exitWatchMode', () => {
  const original = process.env[MODE_ENV];
  afterEach(() => {
    if (original === undefined) delete process.env[MODE_ENV];
    else process.env[MODE_ENV] = original;
  });

  it.runIf(process.platform === 'linux' && addonBuilt)('uses pidfd on Linux 5.3+ when the addon is built', () => {
    delete process.env[MODE_ENV];
    expect(exitWatchMode()).toEqual({ mode: 'pidfd' });
  });

  it('explains why it polls when polling is forced by the option', () => {
    expect(exitWatchMode({ mode: 'poll' })).toEqual({ mode: 'poll', reason: 'polling forced by the mode option' });
  });

  it(`explains why it polls when polling is forced by ${MODE_ENV}=poll`, () => {
    process.env[MODE_ENV] = 'poll';
    expect(exitWatchMode()).toEqual({ mode: 'poll', reason: `polling forced by ${MODE_ENV}=poll` });
  });

  it('rejects what is not a process identity with a typed error', () => {
    const bad = [
      () => watchExit({ pid: 0, startTicks: 1 }, () => {}),
      () => watchExit({ pid: 1.5, startTicks: 1 }, () => {}),
      () => watchExit({ pid: 10, startTicks: Number.NaN }, () => {}),
      () => watchExit({ pid: 10, startTicks: 1 }, 'nope' as unknown as () => void),
      () => watchExit({ pid: 10, startTicks: 1 }, () => {}, { pollIntervalMs: 0 }),
    ];
    for (const call of bad) {
      expect(call).toThrow(ExitWatchError);
    }
  });
});

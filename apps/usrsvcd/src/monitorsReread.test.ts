import fs from 'node:fs';
import { waitFor } from '@usrsvc/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { DaemonHarness } from './test-support/daemonHarness.js';

let h: DaemonHarness;
afterEach(async () => {
  await h.cleanup();
});

describe('a reread and monitors', () => {
  it('keeps the monitors of unchanged programs (their state, e.g. a failure count, survives) and recreates those of changed ones', async () => {
    h = new DaemonHarness();
    const created = h.home.path('created.log');
    const pkg = h.home.path('node_modules/counting-monitor');
    fs.mkdirSync(pkg, { recursive: true });
    fs.writeFileSync(`${pkg}/package.json`, JSON.stringify({ name: 'counting-monitor', version: '1.0.0', type: 'module', exports: { '.': { import: './index.js' } } }));
    fs.writeFileSync(
      `${pkg}/index.js`,
      `import fs from 'node:fs';
export default {
  name: 'counting',
  keys: { counting: { type: 'boolean' } },
  create(program) {
    if (!program.monitoring.counting) return undefined;
    fs.appendFileSync(${JSON.stringify(created)}, program.name + '\\n');
    return { name: 'counting', check: () => ({ restart: false }) };
  },
};
`,
    );
    h.writeMain('monitor_interval = 0.3\nmonitor_plugins = counting-monitor');
    for (const name of ['same', 'edited']) {
      h.writeProgram(name, h.uniqueSleep());
      fs.appendFileSync(`${h.confDir}/${name}.cfg`, '  [[Monitoring]]\n    monitor_after = 0\n    counting = True\n');
    }
    await h.startDaemonAndWait();
    const createdLines = () => fs.readFileSync(created, 'utf8').trim().split('\n').sort();
    await waitFor('both monitors created', () => fs.existsSync(created) && createdLines().length === 2);
    await waitFor('a verdict for same', async () => (await h.api().program('same')).monitors.length > 0);

    const edited = fs.readFileSync(`${h.confDir}/edited.cfg`, 'utf8');
    fs.writeFileSync(`${h.confDir}/edited.cfg`, edited.replace('term_to_kill_seconds = 2\n', 'term_to_kill_seconds = 2\nrestart_delay = 1\n'));
    expect((await h.api().reread()).ok).toBe(true);
    await h.waitForLog(/Applied the new configuration: added: none; removed: none; changed: edited \(restart_delay\)/);
    expect(createdLines()).toEqual(['edited', 'edited', 'same']);
  });
});

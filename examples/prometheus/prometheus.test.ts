import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeTempHome, type PrometheusServer, runAmtool, runPromtool, startPrometheus, type TempHome } from '@usrsvc/testkit';
import { afterEach, describe, expect, it } from 'vitest';

const kit = path.dirname(fileURLToPath(import.meta.url));

describe('the fleet kit in examples/prometheus', () => {
  let home: TempHome | undefined;
  let prometheus: PrometheusServer | undefined;
  afterEach(async () => {
    await prometheus?.stop();
    prometheus = undefined;
    home?.remove();
    home = undefined;
  });

  it('promtool check rules accepts the rules, without lint complaints', async () => {
    const result = await runPromtool(['check', 'rules', 'rules/usrsvc.rules.yml'], undefined, kit);
    expect(result.stdout).toContain('SUCCESS: 10 rules found');
    expect(result.stdout + result.stderr).not.toMatch(/FAILED|lint/i);
    expect(result.code).toBe(0);
  });

  it('promtool test rules passes the unit tests of the rules', async () => {
    const result = await runPromtool(['test', 'rules', 'usrsvc.rules.test.yml'], undefined, path.join(kit, 'rules'));
    expect(result.stdout + result.stderr).toContain('SUCCESS');
    expect(result.stdout + result.stderr).not.toContain('FAILED');
    expect(result.code).toBe(0);
  });

  it('promtool accepts the scrape config and amtool the Alertmanager config', async () => {
    const prometheusCheck = await runPromtool(['check', 'config', '--syntax-only', 'prometheus.yml'], undefined, kit);
    expect(prometheusCheck.stdout + prometheusCheck.stderr).toContain('SUCCESS');
    expect(prometheusCheck.code).toBe(0);
    const alertmanagerCheck = await runAmtool(['check-config', 'alertmanager.yml'], kit);
    expect(alertmanagerCheck.stdout + alertmanagerCheck.stderr).toContain('SUCCESS');
    expect(alertmanagerCheck.code).toBe(0);
  });

  it('every query of the Grafana dashboard is valid PromQL for a real Prometheus that loaded the rules', async () => {
    home = makeTempHome('usrsvc-kit-');
    const rules = fs.readFileSync(path.join(kit, 'rules/usrsvc.rules.yml'), 'utf8');
    prometheus = await startPrometheus(home.path('prometheus'), 'global:\n  evaluation_interval: 1s\nrule_files: [usrsvc.rules.yml]\n', { 'usrsvc.rules.yml': rules });
    const loaded = (await (await fetch(`${prometheus.url}/api/v1/rules`)).json()) as { data: { groups: Array<{ rules: unknown[] }> } };
    expect(loaded.data.groups.flatMap((group) => group.rules)).toHaveLength(10);

    const dashboard = JSON.parse(fs.readFileSync(path.join(kit, 'grafana/usrsvc-fleet.json'), 'utf8')) as {
      panels: Array<{ title: string; targets: Array<{ expr: string }> }>;
      templating: { list: Array<{ definition?: string }> };
    };
    const expressions = dashboard.panels.flatMap((panel) => panel.targets.map((target) => target.expr));
    expect(expressions.length).toBeGreaterThanOrEqual(10);
    for (const expr of expressions) {
      const promql = expr.replaceAll('$user', '.*').replaceAll('$instance', '.*').replaceAll('$__rate_interval', '1m');
      await expect(prometheus.query(promql), expr).resolves.toBeInstanceOf(Array);
    }
    const metricNames = new Set(expressions.join(' ').match(/\busrsvc_[a-z_]+/g));
    for (const name of metricNames) {
      expect(
        [
          'usrsvc_program_up',
          'usrsvc_program_state',
          'usrsvc_program_restarts_total',
          'usrsvc_program_start_time_seconds',
          'usrsvc_program_resident_memory_bytes',
          'usrsvc_monitor_check_success',
          'usrsvc_monitor_check_duration_seconds',
          'usrsvc_alerts_sent_total',
          'usrsvc_alerts_failed_total',
          'usrsvc_daemon_start_time_seconds',
          'usrsvc_build_info',
        ],
        `${name} in the dashboard`,
      ).toContain(name);
    }
  });
});

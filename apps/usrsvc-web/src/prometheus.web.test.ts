import os from 'node:os';
import { type PrometheusServer, startPrometheus, waitFor } from '@usrsvc/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { WebHarness } from './test-support/webHarness.js';
import { tokenFile } from './tokens.js';

// Issue 16: a real Prometheus scrapes usrsvcd's metrics through usrsvc-web, authorized by the
// metrics token file as README's scrape config shows; without the token the scrape is refused.
const user = os.userInfo().username;

interface ActiveTarget {
  labels: Record<string, string>;
  health: 'up' | 'down' | 'unknown';
  lastError: string;
}

async function activeTargets(prometheus: PrometheusServer): Promise<ActiveTarget[]> {
  const response = await fetch(`${prometheus.url}/api/v1/targets?state=active`, { signal: AbortSignal.timeout(5000) });
  const body = (await response.json()) as { data: { activeTargets: ActiveTarget[] } };
  return body.data.activeTargets;
}

describe('usrsvc-web /metrics, scraped by a real Prometheus', () => {
  let h: WebHarness;
  let prometheus: PrometheusServer | undefined;
  afterEach(async () => {
    await prometheus?.stop();
    prometheus = undefined;
    await h.cleanup();
  });

  it("Prometheus with the metrics token file sees every program's usrsvc_program_up; without a token the scrape gets 401", async () => {
    h = new WebHarness();
    const alphaPidfile = h.writeProgram('alpha', h.uniqueSleep());
    const betaPidfile = h.writeProgram('beta', h.uniqueSleep());
    h.writeProgram('off', h.uniqueSleep(), { enabled: 'False' });
    await h.startDaemonAndWait();
    await h.servicePid(alphaPidfile);
    await h.servicePid(betaPidfile);
    await h.startWeb();

    const target = `127.0.0.1:${h.port}`;
    const unauthorized = await fetch(`${h.origin}/metrics`);
    expect(unauthorized.status).toBe(401);

    prometheus = await startPrometheus(
      h.home.path('prometheus'),
      [
        'global:',
        '  scrape_interval: 1s',
        '  scrape_timeout: 1s',
        'scrape_configs:',
        '  - job_name: usrsvc-web',
        '    authorization:',
        '      type: Bearer',
        `      credentials_file: ${JSON.stringify(tokenFile(h.stateDir, 'metrics'))}`,
        '    static_configs:',
        `      - targets: ['${target}']`,
        '  - job_name: usrsvc-web-no-token',
        '    static_configs:',
        `      - targets: ['${target}']`,
        '',
      ].join('\n'),
    );
    const server = prometheus;

    const up = await waitFor(
      "every program's usrsvc_program_up in Prometheus, scraped through usrsvc-web",
      async () => {
        const result = await server.query(`usrsvc_program_up{job="usrsvc-web",user="${user}"}`);
        return result.length === 3 && result.every((sample) => sample.metric.program !== 'off' || sample.value[1] === '0') && result;
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    expect(Object.fromEntries(up.map((sample) => [sample.metric.program, sample.value[1]]))).toEqual({ alpha: '1', beta: '1', off: '0' });
    expect(up.every((sample) => sample.metric.instance === target)).toBe(true);

    const refused = await waitFor(
      'Prometheus to report the scrape without a token as down',
      async () => {
        const noToken = (await activeTargets(server)).find((candidate) => candidate.labels.job === 'usrsvc-web-no-token');
        return noToken?.health === 'down' && noToken;
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    expect(refused.lastError).toMatch(/401/);
    expect(await server.query('up{job="usrsvc-web-no-token"}')).toEqual([expect.objectContaining({ value: [expect.any(Number), '0'] })]);
    expect(await server.query('count(usrsvc_program_up{job="usrsvc-web-no-token"})')).toEqual([]);
    expect(h.webLog).toContain('refused GET /metrics from 127.0.0.1: 401 no token');
  });
});

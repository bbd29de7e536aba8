import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import { apiSocketPath } from '@usrsvc/api';
import {
  type PrometheusServer,
  runPromtool,
  type ServerProcess,
  startNodeExporter,
  startPrometheus,
  waitFor,
} from '@usrsvc/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { DaemonHarness } from './test-support/daemonHarness.js';

// Issue 16: usrsvcd's metrics as a real Prometheus sees them, through a real node_exporter's
// textfile collector, and GET /metrics on the local API.
const user = os.userInfo().username;

let h: DaemonHarness;
const servers: ServerProcess[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.stop();
  await h.cleanup();
});

/** GET /metrics over the daemon's Unix socket. */
function scrapeSocket(socket: string): Promise<{ status: number; contentType: string; text: string }> {
  return new Promise((resolve, reject) => {
    const request = http.get({ socketPath: socket, path: '/metrics' }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, contentType: String(response.headers['content-type']), text: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    request.on('error', reject);
  });
}

const sampleOf = (result: Array<{ metric: Record<string, string>; value: [number, string] }>, program: string) =>
  result.find((sample) => sample.metric.program === program)?.value[1];

describe('usrsvcd metrics, scraped by a real Prometheus', () => {
  it('serves GET /metrics on its socket and keeps metrics_textfile, which Prometheus reads through node_exporter; a SIGKILL counts as a crash restart', async () => {
    h = new DaemonHarness();
    const textfileDir = h.home.path('textfile');
    fs.mkdirSync(textfileDir);
    const textfile = `${textfileDir}/usrsvc-${user}.prom`;
    h.writeMain(`metrics_textfile = ${textfile}`);
    const alphaPidfile = h.writeProgram('alpha', h.uniqueSleep());
    const betaPidfile = h.writeProgram('beta', h.uniqueSleep());
    h.writeProgram('off', h.uniqueSleep(), { enabled: 'False' });
    await h.startDaemonAndWait();
    const alpha = await h.servicePid(alphaPidfile);
    await h.servicePid(betaPidfile);

    const scraped = await waitFor('both programs up in GET /metrics', async () => {
      const answer = await scrapeSocket(apiSocketPath(h.stateDir));
      return answer.text.includes(`usrsvc_program_up{program="alpha",user="${user}"} 1`) &&
        answer.text.includes(`usrsvc_program_up{program="beta",user="${user}"} 1`) &&
        answer;
    });
    expect(scraped.status).toBe(200);
    expect(scraped.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(scraped.text).toContain(`usrsvc_program_state{program="off",user="${user}",state="disabled"} 1`);
    expect(scraped.text).toMatch(new RegExp(`usrsvc_build_info\\{user="${user}",version="[^"]+",exit_watch="(pidfd|poll)"\\} 1`));
    const lint = await runPromtool(['check', 'metrics'], scraped.text);
    expect(lint.stdout + lint.stderr).toBe('');

    await waitFor('the textfile', () => fs.existsSync(textfile) && fs.readFileSync(textfile, 'utf8').includes('program="beta"'));
    const exporter = await startNodeExporter(textfileDir);
    servers.push(exporter);
    const prometheus: PrometheusServer = await startPrometheus(
      h.home.path('prometheus'),
      `global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n  - job_name: node\n    static_configs:\n      - targets: ['127.0.0.1:${exporter.port}']\n`,
    );
    servers.push(prometheus);

    const up = await waitFor(
      "every program's usrsvc_program_up in Prometheus",
      async () => {
        const result = await prometheus.query(`usrsvc_program_up{user="${user}"}`);
        return result.length === 3 && result;
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    expect(Object.fromEntries(up.map((sample) => [sample.metric.program, sample.value[1]]))).toEqual({ alpha: '1', beta: '1', off: '0' });
    expect(up[0]?.metric.instance).toBe(`127.0.0.1:${exporter.port}`);

    process.kill(alpha, 'SIGKILL');
    const second = await h.servicePid(alphaPidfile, alpha);
    expect(second).not.toBe(alpha);
    await waitFor(
      'Prometheus to see the crash restart of alpha',
      async () => sampleOf(await prometheus.query(`usrsvc_program_restarts_total{user="${user}",reason="crash"}`), 'alpha') === '1',
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    const after = await prometheus.query(`usrsvc_program_restarts_total{user="${user}",program="beta"}`);
    // One series per reason, none of them counted for beta.
    expect(after.map((sample) => sample.metric.reason).sort()).toEqual(['change', 'crash', 'manual', 'monitor', 'watchdog']);
    expect(after.map((sample) => sample.value[1])).toEqual(['0', '0', '0', '0', '0']);
    await waitFor('alpha up again in Prometheus', async () => sampleOf(await prometheus.query('usrsvc_program_up'), 'alpha') === '1', {
      timeoutMs: 30_000,
      intervalMs: 250,
    });
  });
});

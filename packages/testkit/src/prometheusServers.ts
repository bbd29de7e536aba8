import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { type ServerProcess, startServerProcess } from './serverProcess.js';

/** Debian's packages: prometheus, prometheus-alertmanager, prometheus-node-exporter. */
export const PROMETHEUS_BINARIES = {
  prometheus: '/usr/bin/prometheus',
  promtool: '/usr/bin/promtool',
  amtool: '/usr/bin/amtool',
  alertmanager: '/usr/bin/prometheus-alertmanager',
  nodeExporter: '/usr/bin/prometheus-node-exporter',
};

export interface PromtoolResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs promtool (package prometheus) with `args`, `stdin` piped in, in `cwd`. */
export function runPromtool(args: string[], stdin?: string, cwd?: string): Promise<PromtoolResult> {
  return runTool(PROMETHEUS_BINARIES.promtool, 'prometheus', args, stdin, cwd);
}

/** Runs amtool (package prometheus-alertmanager). */
export function runAmtool(args: string[], cwd?: string): Promise<PromtoolResult> {
  return runTool(PROMETHEUS_BINARIES.amtool, 'prometheus-alertmanager', args, undefined, cwd);
}

function runTool(binary: string, debianPackage: string, args: string[], stdin?: string, cwd?: string): Promise<PromtoolResult> {
  if (!fs.existsSync(binary)) return Promise.reject(new Error(`${binary} is not installed (apt-get install ${debianPackage})`));
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ['pipe', 'pipe', 'pipe'], cwd });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin ?? '');
  });
}

/** A real node_exporter exposing only its textfile collector (plus its own process metrics). */
export function startNodeExporter(textfileDir: string): Promise<ServerProcess> {
  return startServerProcess({
    binary: PROMETHEUS_BINARIES.nodeExporter,
    args: (port) => [
      `--web.listen-address=127.0.0.1:${port}`,
      '--collector.disable-defaults',
      '--collector.textfile',
      `--collector.textfile.directory=${textfileDir}`,
    ],
    readyPath: '/metrics',
  });
}

export interface PrometheusServer extends ServerProcess {
  /** Instant PromQL query; the result vector. */
  query(promql: string): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>>;
}

/**
 * A real Prometheus with its config, rule files and storage in `dir`. `config` is prometheus.yml's
 * text; `rules` maps file names (relative to dir) to their text.
 */
export async function startPrometheus(dir: string, config: string, rules: Record<string, string> = {}): Promise<PrometheusServer> {
  fs.mkdirSync(path.join(dir, 'data'), { recursive: true });
  for (const [name, text] of Object.entries(rules)) fs.writeFileSync(path.join(dir, name), text);
  fs.writeFileSync(path.join(dir, 'prometheus.yml'), config);
  const server = await startServerProcess({
    binary: PROMETHEUS_BINARIES.prometheus,
    args: (port) => [
      `--config.file=${path.join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--web.enable-lifecycle',
    ],
    readyPath: '/-/ready',
  });
  return {
    ...server,
    async query(promql) {
      const response = await fetch(`${server.url}/api/v1/query?query=${encodeURIComponent(promql)}`, { signal: AbortSignal.timeout(5000) });
      const body = (await response.json()) as { status: string; error?: string; data?: { result: Array<{ metric: Record<string, string>; value: [number, string] }> } };
      if (body.status !== 'success' || !body.data) throw new Error(`query ${promql} failed: ${body.error ?? response.status}`);
      return body.data.result;
    },
  };
}

export interface AlertmanagerAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  status: { state: 'active' | 'suppressed' | 'unprocessed' };
}

export interface AlertmanagerServer extends ServerProcess {
  /** GET /api/v2/alerts: the alerts not resolved (Alertmanager does not list resolved ones). */
  alerts(): Promise<AlertmanagerAlert[]>;
}

/**
 * A real Alertmanager, clustering off, config and storage in `dir`. Its one receiver sends nowhere,
 * or, given `webhookUrl`, posts firing and resolved notifications there (group_wait and
 * group_interval 1 s).
 */
export async function startAlertmanager(dir: string, options: { webhookUrl?: string } = {}): Promise<AlertmanagerServer> {
  fs.mkdirSync(path.join(dir, 'data'), { recursive: true });
  const config = path.join(dir, 'alertmanager.yml');
  const receiver = options.webhookUrl
    ? `  - name: test\n    webhook_configs:\n      - url: ${JSON.stringify(options.webhookUrl)}\n        send_resolved: true\n`
    : '  - name: test\n';
  fs.writeFileSync(
    config,
    `route:\n  receiver: test\n  group_by: [alertname, program]\n  group_wait: 1s\n  group_interval: 1s\n  repeat_interval: 1h\nreceivers:\n${receiver}`,
  );
  const server = await startServerProcess({
    binary: PROMETHEUS_BINARIES.alertmanager,
    args: (port) => [
      `--config.file=${config}`,
      `--storage.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
    ],
    readyPath: '/-/ready',
  });
  return {
    ...server,
    async alerts() {
      const response = await fetch(`${server.url}/api/v2/alerts?active=true&silenced=true&inhibited=true&unprocessed=true`, {
        signal: AbortSignal.timeout(5000),
      });
      if (!response.ok) throw new Error(`GET /api/v2/alerts: ${response.status}`);
      return (await response.json()) as AlertmanagerAlert[];
    },
  };
}

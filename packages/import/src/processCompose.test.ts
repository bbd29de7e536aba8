import { makeTempHome, type TempHome } from '@usrsvc/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ImportParseError } from './ImportParseError.js';
import { importConfig } from './importConfig.js';
import { FUTURE_KEYS, fileOf, lineOf, mappedOrNotYet, outcomeText } from './test-support/outcomes.js';

let home: TempHome;
beforeEach(() => {
  home = makeTempHome('usrsvc-import-pc-');
});
afterEach(() => home.remove());

const COMPOSE = `version: "0.5"
environment:
  - "SHARED=1"
processes:
  db:
    command: /usr/lib/postgresql/15/bin/postgres -D ./data
    working_dir: ./db
    availability:
      restart: no
    shutdown:
      signal: 2
      timeout_seconds: 20
    readiness_probe:
      exec:
        command: pg_isready -h 127.0.0.1
      period_seconds: 2
  api:
    command: ./api --listen 127.0.0.1:8080
    environment:
      - "MODE=prod"
    env_file: .env
    replicas: 2
    availability:
      restart: on_failure
      max_restarts: 5
      backoff_seconds: 2
    depends_on:
      db:
        condition: process_healthy
      migrate:
        condition: process_completed_successfully
    readiness_probe:
      http_get:
        host: 127.0.0.1
        port: 8080
        path: /healthz
    liveness_probe:
      http_get:
        port: 8080
`;

describe('process-compose', () => {
  it('exact keys of today; restart: no read as a string; a numeric shutdown signal', async () => {
    const file = home.write('pc/process-compose.yaml', COMPOSE);
    const result = await importConfig('process-compose', [file], { env: home.env() });
    const db = fileOf(result, 'db');
    expect(db).toContain('\ncommand = /usr/lib/postgresql/15/bin/postgres -D ./data\n');
    expect(db).toContain('\nautorestart = False\n');
    expect(db).toContain('\nstop_signal = INT\n');
    expect(db).toContain('\nterm_to_kill_seconds = 20\n');
    expect(db).toMatch(/\[\[Env\]\]\n {2}SHARED = 1\n/);
    const api = fileOf(result, 'api');
    expect(api).toContain('\nmaxrestarts = 5\n');
    expect(api).toContain('\nrestart_delay = 2\n');
    expect(api).toMatch(/\[\[Env\]\]\n {2}SHARED = 1\n {2}MODE = prod\n/);
    expect(outcomeText(lineOf(result, 'api', 'depends_on.migrate'))).toMatch(/^not mapped: process_completed_successfully/);
    expect(outcomeText(lineOf(result, 'api', 'liveness_probe'))).toMatch(/^not mapped: use a \[\[Monitoring\]\] monitor/);
    expect(lineOf(result, 'db', 'availability.restart').from.line).toBe(9);
    for (const [program, key, target] of [
      ['db', 'working_dir', 'directory'],
      ['db', 'readiness_probe.exec', 'ready_check'],
      ['api', 'env_file', 'env_file'],
      ['api', 'replicas', 'instances'],
      ['api', 'depends_on', 'depends_on'],
      ['api', 'readiness_probe.http_get', 'ready_check'],
    ] as const) {
      expect(mappedOrNotYet(result, program, key, target), `${program} ${key}`).toBe(true);
    }
  });

  it('with the keys being added known: ready_check exec and http, depends_on, instances, env_file', async () => {
    const file = home.write('pc/process-compose.yaml', COMPOSE);
    const result = await importConfig('process-compose', [file], { env: home.env(), targetKeys: FUTURE_KEYS });
    const db = fileOf(result, 'db');
    expect(db).toContain('\nready_check = exec:pg_isready -h 127.0.0.1\n');
    expect(db).toContain('\nready_check_interval = 2\n');
    expect(db).toContain(`\ndirectory = ${home.path('pc', 'db')}\n`);
    const api = fileOf(result, 'api');
    expect(api).toContain('\nready_check = http://127.0.0.1:8080/healthz\n');
    expect(api).toContain('\ndepends_on = db\n');
    expect(api).toContain('\ninstances = 2\n');
    expect(api).toContain('\nautorestart = unexpected\n');
    expect(api).toContain(`\nenv_file = ${home.path('pc', '.env')}\n`);
  });

  it('invalid YAML is a parse error naming file and line', async () => {
    const file = home.write('pc.yaml', 'processes:\n  a:\n    command: [unclosed\n');
    const error = await importConfig('process-compose', [file]).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ImportParseError);
    expect((error as ImportParseError).line).toBeGreaterThan(0);
  });
});

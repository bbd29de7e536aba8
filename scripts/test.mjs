#!/usr/bin/env node
// `pnpm test`: builds every package (in parallel), runs every package's test suite one package at
// a time (the suites start real processes and time real restarts), then prints one closing line
// with the totals over all suites, after a line for each failed test (file, name and the first
// lines of its error), so that the end of the output says what failed. The exit code is non-zero
// when anything failed.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const resultFile = '.vitest-results.json';
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1' };
const turbo = (...args) => spawnSync('pnpm', ['exec', 'turbo', ...args], { cwd: root, env, stdio: 'inherit' }).status ?? 1;

const workspaces = ['packages', 'apps']
  .flatMap((dir) => fs.readdirSync(path.join(root, dir)).map((name) => path.join(root, dir, name)))
  .concat([path.join(root, 'examples'), path.join(root, 'systemd')]);
for (const dir of workspaces) fs.rmSync(path.join(dir, resultFile), { force: true });

let code = turbo('run', 'build');
if (code === 0) {
  code = turbo('run', 'test', '--concurrency=1', '--continue', '--', '--reporter=default', '--reporter=json', `--outputFile.json=${resultFile}`);
}

const totals = { passed: 0, failed: 0, skipped: 0, suites: 0 };
const failures = [];
for (const dir of workspaces) {
  const file = path.join(dir, resultFile);
  if (!fs.existsSync(file)) continue;
  const report = JSON.parse(fs.readFileSync(file, 'utf8'));
  totals.suites += 1;
  totals.passed += report.numPassedTests;
  totals.failed += report.numFailedTests;
  totals.skipped += report.numPendingTests + report.numTodoTests;
  for (const suite of report.testResults) {
    const where = path.relative(root, suite.name);
    for (const test of suite.assertionResults) {
      if (test.status === 'failed') failures.push({ where, name: test.fullName, messages: test.failureMessages });
    }
    if (suite.status === 'failed' && suite.assertionResults.every((test) => test.status !== 'failed')) {
      failures.push({ where, name: '(the file itself)', messages: [suite.message ?? ''] });
    }
  }
}
for (const { where, name, messages } of failures) {
  const firstLines = messages.join('\n').split('\n').slice(0, 12).map((line) => `    ${line}`);
  console.log(`\nFAILED ${where} > ${name}\n${firstLines.join('\n')}`);
}
if (code !== 0 && totals.failed === 0) totals.failed = 1; // a build or a suite failed outside any test
console.log(`\n${totals.suites} test suites`);
console.log(`Tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(code);

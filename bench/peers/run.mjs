// Small helpers: running a command and timing it, medians, pidfiles.
import { spawn } from 'node:child_process';
import fs from 'node:fs';

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export function readPid(file) {
  try {
    const pid = Number.parseInt(fs.readFileSync(file, 'utf8').trim(), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

export function median(values) {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The first and third quartiles (nearest rank): the spread printed next to a median. */
export function quartiles(values) {
  if (values.length === 0) return [Number.NaN, Number.NaN];
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => sorted[Math.round((sorted.length - 1) * q)];
  return [at(0.25), at(0.75)];
}

/** Runs [command, args] to its end without blocking the event loop; resolves with code, output and wall ms. */
export function run([command, args], env) {
  const t0 = process.hrtime.bigint();
  return new Promise((resolve) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', (error) => resolve({ code: -1, stdout, stderr: String(error), ms: 0 }));
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: Number(process.hrtime.bigint() - t0) / 1e6 }));
  });
}

/** `run`, failing with the command's stderr when it exits non-zero (unless `okCodes` allows it). */
export async function runOk(spec, env, okCodes = [0]) {
  const result = await run(spec, env);
  if (!okCodes.includes(result.code)) {
    throw new Error(`${spec[0]} ${spec[1].join(' ')} exited ${result.code}: ${(result.stderr || result.stdout).slice(0, 1500)}`);
  }
  return result;
}

/** Wall times of `runs` runs of [command, args], one after another, each required to exit with one of okCodes. */
export async function timesOf(runs, spec, env, okCodes = [0]) {
  const times = [];
  for (let i = 0; i < runs; i++) times.push((await runOk(spec, env, okCodes)).ms);
  return times;
}

/** Polls `check` every `everyMs` until it returns a value other than undefined, or throws at the deadline. */
export async function pollUntil(what, check, { everyMs = 5, timeoutMs = 60_000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === 'function' ? what() : what}`);
    await sleep(everyMs);
  }
}

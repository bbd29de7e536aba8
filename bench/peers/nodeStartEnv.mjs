// NODE_EXTRA_CA_CERTS makes every Node process read and parse the CA file as it starts (~100 ms
// here for Debian's bundle: `node -e 0` 44 ms without, 143 ms with). It is part of some machines'
// environment (CI sandboxes set it for their proxies), not of a manager, and it would be paid by
// every Node-based figure (usrsvc's and pm2's commands and daemons, the `node -e 0` floor) but not
// by supervisord's. So the bench runs every manager without it, measures what it costs, and says
// so in its output; --keep-node-extra-ca-certs keeps it.
import { spawnSync } from 'node:child_process';
import { median } from './run.mjs';

const RUNS = 7;

function nodeStartMs(env) {
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = process.hrtime.bigint();
    spawnSync(process.execPath, ['-e', '0'], { env, stdio: 'ignore' });
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return median(times);
}

/** The environment without NODE_EXTRA_CA_CERTS, and a line saying what was removed and what it costs ('' when unset). */
export function withoutCostlyNodeStartEnv(env) {
  if (!env.NODE_EXTRA_CA_CERTS) return { env, note: '' };
  const without = { ...env };
  delete without.NODE_EXTRA_CA_CERTS;
  const withMs = nodeStartMs(env);
  const withoutMs = nodeStartMs(without);
  return {
    env: without,
    note: `NODE_EXTRA_CA_CERTS (${env.NODE_EXTRA_CA_CERTS}) removed for every manager: \`node -e 0\` ${withMs.toFixed(1)} ms with it, ${withoutMs.toFixed(1)} ms without (medians of ${RUNS}; --keep-node-extra-ca-certs keeps it)`,
  };
}

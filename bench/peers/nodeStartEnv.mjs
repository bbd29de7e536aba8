// NODE_EXTRA_CA_CERTS makes every Node process read and parse the CA file as it starts (~100 ms
// here for Debian's bundle: `node -e 0` 44 ms without, 143 ms with). It is part of some machines'
// environment (CI sandboxes set it for their proxies), not of a manager, and it would be paid by
// every Node-based figure (usrsvc's and pm2's commands and daemons, the `node -e 0` floor) but not
// by supervisord's. So the bench runs every manager without it, measures what it costs, and says
// so in its output; --keep-node-extra-ca-certs keeps it.
import { nodeFloorMs } from './floor.mjs';

const RUNS = 7;

/** The environment without NODE_EXTRA_CA_CERTS, and a line saying what was removed and what it costs ('' when unset). */
export async function withoutCostlyNodeStartEnv(env) {
  if (!env.NODE_EXTRA_CA_CERTS) return { env, note: '' };
  const without = { ...env };
  delete without.NODE_EXTRA_CA_CERTS;
  const withMs = await nodeFloorMs(RUNS, env);
  const withoutMs = await nodeFloorMs(RUNS, without);
  return {
    env: without,
    note: `NODE_EXTRA_CA_CERTS (${env.NODE_EXTRA_CA_CERTS}) removed for every manager: \`node -e 0\` ${withMs.toFixed(1)} ms with it, ${withoutMs.toFixed(1)} ms without (medians of ${RUNS}; --keep-node-extra-ca-certs keeps it)`,
  };
}

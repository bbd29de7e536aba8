// The floor every CLI figure stands on: `node -e 0`, timed as the status commands are (same
// spawn, same environment, right after them), and each status figure as a multiple of it; and
// the cold start as a multiple of its own floor (launchFloor.mjs).
import { median, timesOf } from './run.mjs';

/** Wall times of `runs` runs of `node -e 0`. */
export function nodeFloorTimes(runs, env) {
  return timesOf(runs, [process.execPath, ['-e', '0']], env);
}

export async function nodeFloorMs(runs, env) {
  return median(await nodeFloorTimes(runs, env));
}

const STATUS_KEYS = [
  ['statusAllMs', 'JSON'],
  ['statusTableMs', 'table'],
  ['statusOneMs', 'NAME'],
];

/** "usrsvc: node -e 0 61.0 ms; status JSON 1.31x, table 1.28x, NAME 1.22x; cold start / launch floor: 1.50x" for each manager. */
export function formatFloorRatios(results) {
  const lines = [];
  for (const result of results) {
    if (typeof result.nodeFloorMs !== 'number') continue;
    const ratios = STATUS_KEYS.filter(([key]) => typeof result[key] === 'number').map(
      ([key, label]) => `${label} ${(result[key] / result.nodeFloorMs).toFixed(2)}x`,
    );
    const launch = typeof result.launchFloorMs === 'number' && typeof result.coldStartMs === 'number' ? `; cold start / launch floor: ${(result.coldStartMs / result.launchFloorMs).toFixed(2)}x` : '';
    lines.push(`- ${result.label}: \`node -e 0\` ${result.nodeFloorMs.toFixed(1)} ms; status / node -e 0: ${ratios.join(', ')}${launch}`);
  }
  return lines.join('\n');
}

// Benchmark: the tail of a 1 GB log file against the tail of a 1 kB one (readTail reads from the
// end, so both should take about as long). The 1 GB file is made once in a temp folder, sparse
// except for its last 4 MB of real lines, and removed at the end. Run with `pnpm bench` (after
// `pnpm build`). Every figure is the median of RUNS runs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readTail } from '../dist/index.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 21);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'usrsvc-logs-bench-'));
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));

const line = (n) => `2026-11-29T08:00:00.000Z info request ${n} served in 3 ms\n`;
const small = path.join(dir, 'small.log');
fs.writeFileSync(small, Array.from({ length: 20 }, (_, i) => line(i)).join('').slice(0, 1024).replace(/[^\n]*$/, ''));
const medium = path.join(dir, 'medium.log');
fs.writeFileSync(medium, Array.from({ length: 200_000 }, (_, i) => line(i)).join(''));
const big = path.join(dir, 'big.log');
const realTail = Buffer.from(Array.from({ length: 80_000 }, (_, i) => line(i)).join(''));
fs.writeFileSync(big, '');
fs.truncateSync(big, 1024 ** 3 - realTail.length);
fs.appendFileSync(big, realTail);

const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
async function time(file, lines) {
  const samples = [];
  for (let run = 0; run < RUNS; run += 1) {
    const start = process.hrtime.bigint();
    const tail = await readTail(file, { lines });
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (file !== small && tail.lines.length !== lines) throw new Error('short tail');
  }
  return median(samples);
}

const size = (file) => fs.statSync(file).size;
console.log(`readTail, median of ${RUNS} runs; files of ${size(small)} B, ${size(medium)} B, ${size(big)} B`);
for (const lines of [20, 1000]) {
  const smallMs = await time(small, lines);
  const mediumMs = await time(medium, lines);
  const bigMs = await time(big, lines);
  console.log(
    `  -n ${String(lines).padEnd(5)} 1 kB: ${smallMs.toFixed(3)} ms   ${(size(medium) / 1e6).toFixed(0)} MB: ${mediumMs.toFixed(3)} ms   1 GB: ${bigMs.toFixed(3)} ms   1 GB / 1 kB: ${(bigMs / smallMs).toFixed(2)}`,
  );
}

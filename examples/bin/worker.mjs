// Example worker: does a "job" every second and touches its activity file afterwards.
import fs from 'node:fs';

const activityFile = process.argv[2];
let jobs = 0;
setInterval(() => {
  jobs += 1;
  fs.writeFileSync(activityFile, `${jobs} jobs done at ${new Date().toISOString()}\n`);
  if (jobs % 10 === 0) console.log(`${jobs} jobs done`);
}, 1000);
console.log(`worker ${process.pid} started`);

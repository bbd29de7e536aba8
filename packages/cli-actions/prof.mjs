import { answerStatusRequest } from './dist/index.js';
import { execSync } from 'node:child_process';
const home = process.argv[2];
const text = execSync(`curl -s --unix-socket ${home}/.local/state/usrsvc/usrsvcd.sock http://x/v1/programs`).toString();
const env = { HOME: home, USRSVC_CONFIG: null, XDG_RUNTIME_DIR: null, NO_COLOR: null, FORCE_COLOR: null, TERM: null, USRSVC_LOCK_TIMEOUT: null };
for (const command of [{ json: false, parallel: false, target: 'svc1' }, { json: false, parallel: false }, { json: true, parallel: false }]) {
  const ts = [];
  for (let i = 0; i < 30; i++) {
    const t0 = performance.now();
    const a = await answerStatusRequest({ version: 1, command, env, stdoutIsTTY: false, stderrIsTTY: false, utcOffsetMinutes: 0, uid: process.getuid() }, async () => {
      const views = JSON.parse(text).programs; return { running: true, programs: new Map(views.map((v) => [v.name, v])) };
    });
    if (!a.answered) console.log(a);
    ts.push((performance.now() - t0).toFixed(1));
  }
  console.log(JSON.stringify(command), ts.join(' '));
}

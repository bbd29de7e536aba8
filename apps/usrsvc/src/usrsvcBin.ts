#!/usr/bin/env node
// The `usrsvc` command as installed (dist/usrsvc.cjs). `usrsvc status ...` is first asked of usrsvcd
// (src/daemonStatus), which prints what the CLI would at the cost of a socket; anything else, or
// no answer, runs the CLI bundle (dist/usrsvc-cli.cjs) through the V8 code cache (src/codeCache;
// the README's "Start-up" says why and what each saves). CommonJS, so __dirname is the real dist/
// even through npm's bin symlink.
import path from 'node:path';
import { statusFromDaemon } from './daemonStatus/statusFromDaemon.js';
import { exitAfterOutput } from './exitAfterOutput.js';

/** The bundle's SHA-256, written in by scripts/bundle.mjs. */
declare const __USRSVC_CLI_SHA256__: string;

const argv = process.argv.slice(2);
// Loaded only when the CLI runs: node:zlib (its CRC-32) alone costs ~2 ms a status usrsvcd answers.
const runCli = () => (require('./codeCache/runBundle.js') as typeof import('./codeCache/runBundle.js')).runBundle(path.join(__dirname, 'usrsvc-cli.cjs'), __USRSVC_CLI_SHA256__, process.env, 'cli');

if (argv.includes('status')) {
  void statusFromDaemon(argv, process.env).then(
    (answered) => (answered === undefined ? runCli() : exitAfterOutput(answered.code, answered.writing)),
    () => runCli(),
  );
} else {
  runCli();
}

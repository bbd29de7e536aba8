#!/usr/bin/env -S node --no-opt --no-sparkplug --no-maglev --max-lazy --lazy-feedback-allocation --optimize-for-size
import { runUsrsvcdCli } from './cli.js';

runUsrsvcdCli(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`usrsvcd: ${String(error)}\n`);
    process.exit(254);
  },
);

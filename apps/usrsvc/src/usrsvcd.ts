#!/usr/bin/env -S node --no-opt --no-sparkplug --no-maglev --max-lazy --lazy-feedback-allocation --optimize-for-size
// The `usrsvcd` command of the `usrsvc` package: the daemon's own CLI from @usrsvc/usrsvcd.
import { runUsrsvcdCli } from '@usrsvc/usrsvcd';

process.exit(await runUsrsvcdCli(process.argv.slice(2)));

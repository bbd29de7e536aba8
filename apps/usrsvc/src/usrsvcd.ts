#!/usr/bin/env node
// The `usrsvcd` command of the `usrsvc` package: the daemon's own CLI from @usrsvc/usrsvcd.
import { runUsrsvcdCli } from '@usrsvc/usrsvcd';

process.exit(await runUsrsvcdCli(process.argv.slice(2)));

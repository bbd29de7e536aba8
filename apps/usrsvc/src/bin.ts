#!/usr/bin/env node
// The `usrsvc` command. No "is this the main module" check: npm runs bins through a symlink.
import { runUsrsvcCli } from './main.js';

const code = await runUsrsvcCli(process.argv.slice(2));
process.exit(code);

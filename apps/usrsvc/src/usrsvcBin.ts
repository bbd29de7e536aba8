#!/usr/bin/env node
// The `usrsvc` command as installed (dist/usrsvc.cjs): runs the CLI bundle (dist/usrsvc-cli.cjs)
// through the V8 code cache (src/codeCache; the README's "Start-up" says why and what it saves).
// CommonJS, so __dirname is the real dist/ even through npm's bin symlink.
import path from 'node:path';
import { runBundle } from './codeCache/runBundle.js';

/** The bundle's SHA-256, written in by scripts/bundle.mjs. */
declare const __USRSVC_CLI_SHA256__: string;

runBundle(path.join(__dirname, 'usrsvc-cli.cjs'), __USRSVC_CLI_SHA256__, process.env, 'cli');

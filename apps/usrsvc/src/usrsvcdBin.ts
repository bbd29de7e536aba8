#!/usr/bin/env -S node --no-opt --no-sparkplug --no-maglev --max-lazy --lazy-feedback-allocation --optimize-for-size
// The `usrsvcd` command as installed (dist/usrsvcd.cjs): runs the daemon's bundle
// (dist/usrsvcd-main.cjs) through the V8 code cache, as usrsvcBin.ts runs the CLI's. The daemon
// itself (`--foreground`, also what a plain `usrsvcd` starts) keeps a cache of its own: the
// functions a cold start runs are not the ones `usrsvcd status` or the detaching start run.
// CommonJS, so __dirname is the real dist/ even through npm's bin symlink.
import path from 'node:path';
import { runBundle } from './codeCache/runBundle.js';

/** The bundle's SHA-256, written in by scripts/bundle.mjs. */
declare const __USRSVCD_SHA256__: string;

const cacheName = process.argv.includes('--foreground') ? 'usrsvcd-daemon' : 'usrsvcd';
runBundle(path.join(__dirname, 'usrsvcd-main.cjs'), __USRSVCD_SHA256__, process.env, cacheName);

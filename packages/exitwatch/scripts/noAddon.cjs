#!/usr/bin/env node
// Runs when `node-gyp rebuild` failed at install or build time (no compiler, no Node headers,
// not Linux). The install must not fail: @usrsvc/exitwatch then watches exits by polling.
// It removes a half-built addon so that the loader does not find a stale one.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const addon = path.join(__dirname, '..', 'build', 'Release', 'usrsvc_exitwatch.node');
try {
  fs.rmSync(addon, { force: true });
} catch {
  // nothing to remove
}
process.stderr.write(
  '@usrsvc/exitwatch: the native pidfd addon was not built; exits will be detected by polling ' +
    '(see exitWatchMode()). Install a C compiler and Node headers, then rebuild, for pidfd.\n',
);
process.exit(0);

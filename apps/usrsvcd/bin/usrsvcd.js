#!/usr/bin/env -S node --no-opt --no-sparkplug --no-maglev --max-lazy --lazy-feedback-allocation --optimize-for-size
// The usrsvcd command of this package. A committed file, not dist/bin.js itself, so that pnpm can
// link it on a fresh clone before anything is built (else: "WARN Failed to create bin ... ENOENT").
import '../dist/bin.js';

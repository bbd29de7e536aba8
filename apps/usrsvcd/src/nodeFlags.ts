/**
 * V8 flags the daemon runs with (the bin's shebang and the detached start use them): an idle
 * supervisor gains nothing from the optimising compilers, and without them its RSS is ~25 MB
 * smaller (lite mode would do the same but prints a warning about --expose-wasm).
 * Keep in sync with the shebangs of src/bin.ts and bin/usrsvcd.js (packageBin.test.ts checks the latter).
 */
export const DAEMON_NODE_FLAGS: readonly string[] = [
  '--no-opt',
  '--no-sparkplug',
  '--no-maglev',
  '--max-lazy',
  '--lazy-feedback-allocation',
  '--optimize-for-size',
];

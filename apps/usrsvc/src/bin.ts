// The `usrsvc` CLI, bundled as CommonJS into dist/usrsvc-cli.cjs and run by dist/usrsvc.cjs (see
// usrsvcBin.ts). No "is this the main module" check: npm runs bins through a symlink.
import { exitAfterOutput } from './exitAfterOutput.js';
import { runUsrsvcCli } from './main.js';

void runUsrsvcCli(process.argv.slice(2)).then(exitAfterOutput);

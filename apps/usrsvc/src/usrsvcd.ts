// The `usrsvcd` command of the `usrsvc` package: the daemon's own CLI from @usrsvc/usrsvcd, bundled
// as CommonJS into dist/usrsvcd-main.cjs and run by dist/usrsvcd.cjs (see usrsvcdBin.ts).
import { runUsrsvcdCli } from '@usrsvc/usrsvcd';

runUsrsvcdCli(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`usrsvcd: ${String(error)}\n`);
    process.exit(254);
  },
);

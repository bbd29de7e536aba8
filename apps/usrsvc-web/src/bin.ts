#!/usr/bin/env node
// The `usrsvc-web` command of @usrsvc/web; the page was bundled into dist/public at build time.
import { fileURLToPath } from 'node:url';
import { runUsrsvcWebCli } from './cli.js';

const code = await runUsrsvcWebCli(process.argv.slice(2), {
  assetsDir: fileURLToPath(new URL('./public', import.meta.url)),
  version: '0.1.0',
});
process.exit(code);

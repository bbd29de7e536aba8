#!/usr/bin/env node
// The `usrsvc-web` command of the `usrsvc` package: the dashboard from @usrsvc/web, with the page
// that scripts/bundle.mjs copied into dist/public.
import { fileURLToPath } from 'node:url';
import { runUsrsvcWebCli } from '@usrsvc/web';
import { readVersion } from './packageFiles.js';

process.exit(
  await runUsrsvcWebCli(process.argv.slice(2), {
    assetsDir: fileURLToPath(new URL('./public', import.meta.url)),
    version: readVersion(),
  }),
);

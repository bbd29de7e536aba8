import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';
import { codeCacheDir, ensureCacheDir } from './cacheDir.js';
import { bundleIdentity, cacheFileName, canCheck, pruneOlderCaches, readCodeCache, writeCodeCache } from './cacheFile.js';

/**
 * Runs a CommonJS bundle as require() would, compiled from the V8 code cache in the user's cache
 * folder when one was written for this very bundle, else from source and then cached for next time
 * (when the process exits, so that the functions the command ran are in it). Without a usable
 * cache folder it just runs. buildSha256 is the bundle's SHA-256 as the build computed it; `name`
 * names its cache files (see cacheFileName).
 */
export function runBundle(bundle: string, buildSha256: string, env: NodeJS.ProcessEnv, name: string): void {
  const source = fs.readFileSync(bundle);
  const dir = canCheck() ? codeCacheDir(env) : undefined;
  const euid = process.geteuid?.() ?? -1;
  const identity = dir ? bundleIdentity(buildSha256, source) : undefined;
  const file = dir && identity ? path.join(dir, cacheFileName(name, identity)) : undefined;
  const cachedData = file && identity ? readCodeCache(file, identity, euid) : undefined;
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source.toString('utf8')}\n})`, {
    filename: bundle,
    ...(cachedData ? { cachedData } : {}),
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  if (dir && file && identity && (!cachedData || script.cachedDataRejected)) {
    process.once('exit', () => {
      if (!ensureCacheDir(dir, euid)) return;
      if (!writeCodeCache(file, identity, script.createCachedData())) return;
      try {
        pruneOlderCaches(dir, name, path.basename(file), fs.statSync(bundle).mtimeMs);
      } catch {
        // Tidiness only.
      }
    });
  }
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(bundle), module, bundle, path.dirname(bundle));
}

// Brings in what the benchmark compares, when missing: tini and supervisord (Debian packages),
// pm2 (npm, into a cache folder outside the repository), and usrsvc from its packed tarball,
// installed globally into a prefix in that cache, as `npm install -g` gives it to a user.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const PM2_VERSION = '7';

function sh(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', ...options });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status}): ${(result.stderr || result.stdout || '').slice(-2000)}`);
  return result.stdout;
}

const onPath = (command) => spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;

export function ensureAptPackages(log) {
  const missing = [
    ['tini', 'tini'],
    ['supervisord', 'supervisor'],
  ].filter(([command]) => !onPath(command));
  if (missing.length === 0) return;
  const names = missing.map(([, pkg]) => pkg);
  log(`installing ${names.join(', ')} with apt-get`);
  sh('apt-get', ['update']);
  sh('apt-get', ['install', '-y', ...names], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

/** pm2 under <cache>/pm2; returns that prefix. */
export function ensurePm2(cache, log) {
  const prefix = path.join(cache, 'pm2');
  if (!fs.existsSync(path.join(prefix, 'node_modules', '.bin', 'pm2'))) {
    log(`installing pm2@${PM2_VERSION} with npm into ${prefix}`);
    fs.mkdirSync(prefix, { recursive: true });
    sh('npm', ['install', '--prefix', prefix, `pm2@${PM2_VERSION}`, '--no-audit', '--no-fund'], {
      env: { ...process.env, npm_config_update_notifier: 'false' },
    });
  }
  return prefix;
}

/** Packs apps/usrsvc (already built) and installs the tarball globally into <cache>/usrsvc-prefix. */
export function installUsrsvc(repoRoot, cache, log) {
  const packDir = path.join(cache, 'pack');
  fs.rmSync(packDir, { recursive: true, force: true });
  fs.mkdirSync(packDir, { recursive: true });
  log('packing usrsvc and installing it globally (npm install --global --prefix)');
  sh('pnpm', ['pack', '--pack-destination', packDir], { cwd: path.join(repoRoot, 'apps', 'usrsvc') });
  const tarball = path.join(packDir, fs.readdirSync(packDir).find((file) => file.endsWith('.tgz')));
  const prefix = path.join(cache, 'usrsvc-prefix');
  fs.rmSync(prefix, { recursive: true, force: true });
  sh('npm', ['install', '--global', '--prefix', prefix, tarball, '--no-audit', '--no-fund'], {
    env: { ...process.env, npm_config_update_notifier: 'false' },
  });
  return prefix;
}

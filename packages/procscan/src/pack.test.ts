import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeTempHome, type TempHome } from '@usrsvc/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

// Packs this package alone and uses it from a project outside the workspace, as a user would.
describe('the published package', () => {
  let home: TempHome;
  beforeEach(() => {
    home = makeTempHome('procscan-pack-');
  });
  afterEach(() => home.remove());

  it('installs from its tarball with npm and works from a plain .mjs script', () => {
    expect(fs.existsSync(path.join(packageDir, 'dist/index.js')), 'build the package first').toBe(true);
    const packDir = home.path('pack');
    const projectDir = home.path('project');
    fs.mkdirSync(packDir);
    fs.mkdirSync(projectDir);
    execFileSync('pnpm', ['pack', '--pack-destination', packDir], { cwd: packageDir, stdio: 'pipe' });
    const [tarball] = fs.readdirSync(packDir).filter((name) => name.endsWith('.tgz'));
    expect(tarball).toBeDefined();

    const listing = execFileSync('tar', ['-tzf', path.join(packDir, tarball!)], { encoding: 'utf8' }).split('\n');
    expect(listing).toEqual(expect.arrayContaining(['package/package.json', 'package/README.md', 'package/dist/index.js', 'package/dist/index.d.ts']));
    expect(listing.filter((file) => /\.test\.|test-support/.test(file))).toEqual([]);
    const packed = JSON.parse(execFileSync('tar', ['-xzOf', path.join(packDir, tarball!), 'package/package.json'], { encoding: 'utf8' }));
    expect(packed.engines.node).toBe('>=20.19');
    expect(JSON.stringify(packed)).not.toContain('workspace:');

    fs.writeFileSync(path.join(projectDir, 'package.json'), JSON.stringify({ name: 'procscan-consumer', private: true, type: 'module' }));
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', path.join(packDir, tarball!)], {
      cwd: projectDir,
      stdio: 'pipe',
      env: { ...process.env, npm_config_workspace: undefined, npm_config_user_agent: undefined },
    });
    fs.writeFileSync(
      path.join(projectDir, 'check.mjs'),
      [
        "import { snapshotProcesses, processIdentity, isSameProcess } from '@usrsvc/procscan';",
        'const table = await snapshotProcesses();',
        'const self = table.get(process.pid);',
        "if (!self || !self.cmdline.includes('check.mjs')) throw new Error('own pid missing');",
        "if (!isSameProcess(processIdentity(process.pid))) throw new Error('identity');",
        "const viaPsList = await snapshotProcesses({ backend: 'ps-list' });",
        "if (!viaPsList.get(process.pid)) throw new Error('ps-list backend');",
        'console.log(JSON.stringify({ processes: table.processes.length, self }));',
      ].join('\n'),
    );
    // The README's example must run as written against the installed package.
    const readme = fs.readFileSync(path.join(packageDir, 'README.md'), 'utf8');
    const example = /```js\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(example).toContain("from '@usrsvc/procscan'");
    fs.writeFileSync(path.join(projectDir, 'example.mjs'), example!);
    const exampleOutput = execFileSync(process.execPath, ['example.mjs'], { cwd: projectDir, encoding: 'utf8' });
    expect(exampleOutput).toContain('true true');

    const output = JSON.parse(execFileSync(process.execPath, ['check.mjs'], { cwd: projectDir, encoding: 'utf8' }));
    expect(output.processes).toBeGreaterThan(1);
    expect(output.self.argv).toEqual([process.execPath === 'node' ? 'node' : process.execPath, 'check.mjs']);
    expect(fs.realpathSync(path.join(projectDir, 'node_modules/@usrsvc/procscan'))).not.toContain(packageDir);
  });
});

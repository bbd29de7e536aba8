import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { readConfig } from '@usrsvc/config';
import { programStatus, rememberProgramTree, restartProgram, startProgram, stopProgram } from '@usrsvc/launcher';
import { freePort, waitFor } from '@usrsvc/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { DaemonHarness, isLive } from '../test-support/daemonHarness.js';
import { cookieTreeOf, requireBinary } from './realDaemon.js';

// README "Recipes": postgres 15 in the foreground. Postgres refuses to run as root: when the
// suite runs as root (CI), the program runs as an unprivileged user it creates, through setpriv,
// and the launcher acts for that user (LaunchContext.uid), as `usrsvc` run by that user would.
const BIN = '/usr/lib/postgresql/15/bin';
const USER = 'usrsvc-pgtest';

let h: DaemonHarness;
afterEach(async () => {
  await h.cleanup();
});

function unprivilegedUser(): { uid: number; gid: number; prefix: string } {
  const uid = process.getuid?.() ?? 0;
  if (uid !== 0) return { uid, gid: process.getgid?.() ?? 0, prefix: '' };
  if (spawnSync('id', ['-u', USER]).status !== 0) {
    const made = spawnSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', USER], { encoding: 'utf8' });
    expect(made.status, made.stderr).toBe(0);
  }
  const id = (flag: string) => Number(spawnSync('id', [flag, USER], { encoding: 'utf8' }).stdout.trim());
  const [u, g] = [id('-u'), id('-g')];
  return { uid: u, gid: g, prefix: `/usr/bin/setpriv --reuid=${u} --regid=${g} --keep-groups ` };
}

function chownTree(dir: string, uid: number, gid: number): void {
  fs.chownSync(dir, uid, gid);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = `${dir}/${entry.name}`;
    if (entry.isDirectory()) chownTree(full, uid, gid);
    else fs.chownSync(full, uid, gid);
  }
}

const MODES = [['in the foreground'], ['with pg_ctl']] as const;

describe.each(MODES)("Debian's postgresql 15 from the README's recipe, %s", (mode) => {
  it('starts, reports, restarts, stops; kill -9 of the postmaster during a query: the escaped backend is stopped before the restart', async () => {
    requireBinary(`${BIN}/postgres`, 'postgresql-15');
    h = new DaemonHarness();
    const user = unprivilegedUser();
    const port = await freePort();
    const data = h.home.path('pgdata');
    fs.mkdirSync(h.stateDir, { recursive: true, mode: 0o700 });
    chownTree(h.home.dir, user.uid, user.gid);
    const asUser = (argv: string[]) => (user.prefix ? ['/usr/bin/setpriv', ...user.prefix.trim().split(' ').slice(1), ...argv] : argv);
    const init = spawnSync(asUser([`${BIN}/initdb`, '-D', data, '-A', 'trust', '-U', 'postgres'])[0]!, asUser([`${BIN}/initdb`, '-D', data, '-A', 'trust', '-U', 'postgres']).slice(1), {
      encoding: 'utf8',
      env: h.env(),
    });
    expect(init.status, init.stderr).toBe(0);
    const pidfile = `${data}/postmaster.pid`;
    const serverOptions = `-k ${data} -h 127.0.0.1 -p ${port}`;
    const command =
      mode === 'with pg_ctl'
        ? `${user.prefix}${BIN}/pg_ctl -D ${data} -o "${serverOptions}" -w start`
        : `${user.prefix}${BIN}/postgres -D ${data} ${serverOptions}`;
    h.writeProgram('postgres', command, {
      autopid: 'False',
      proctitle_re: `^${BIN.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\/postgres -D ${data.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`,
      stop_signal: 'INT',
      stop_as_group: 'True',
      success_seconds: 1,
    });
    // The harness wrote a pidfile path of its own: the recipe's is postgres's postmaster.pid.
    const cfg = `${h.confDir}/postgres.cfg`;
    fs.writeFileSync(cfg, fs.readFileSync(cfg, 'utf8').replace(/^pidfile = .*$/m, `pidfile = ${pidfile}`).replace(/^success_seconds = 0\.3\n/m, ''));
    chownTree(h.home.dir, user.uid, user.gid);

    const ctx = { env: h.env(), stateDir: h.stateDir, uid: user.uid };
    const program = () => readConfig({ env: h.env() }).programs.get('postgres')!;
    const psql = (sql: string) =>
      spawnSync(asUser([`${BIN}/psql`])[0]!, [...asUser([`${BIN}/psql`]).slice(1), '-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-At', '-c', sql], {
        encoding: 'utf8',
        env: h.env(),
      });
    const ready = () => psql('select 1').stdout.trim() === '1';

    const started = await startProgram(program(), ctx, { byUser: true });
    expect(started.code, started.message).toBe(0);
    await waitFor('postgres to answer', ready, { timeoutMs: 30_000 });
    const first = await h.servicePid(pidfile);
    expect((await programStatus(program(), ctx)).code).toBe(0);
    expect(fs.existsSync(pidfile)).toBe(true);

    const restarted = await restartProgram(program(), ctx, { byUser: true });
    expect(restarted.code, restarted.message).toBe(0);
    const second = await h.servicePid(pidfile, first, 30_000);
    await waitFor('postgres to answer after the restart', ready, { timeoutMs: 30_000 });

    // A long query: its backend (setsid, its own session) does not watch for the postmaster's death.
    const query = spawn(asUser([`${BIN}/psql`])[0]!, [...asUser([`${BIN}/psql`]).slice(1), '-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-c', 'select count(*) from generate_series(1, 10000000000)'], {
      env: h.env(),
      stdio: 'ignore',
    });
    h.reaper.track(query.pid);
    const backend = await waitFor('the query to run', () => {
      const rows = psql("select pid from pg_stat_activity where query like 'select count(*) from generate_series%' and state = 'active'").stdout.trim();
      return rows ? Number(rows.split('\n')[0]) : undefined;
    }, { timeoutMs: 30_000 });
    h.reaper.track(backend);
    // Postgres writes its titles over its argv and environment, so its backends' launch cookie is
    // unreadable: what finds them is the tree usrsvcd records at each pass for stop_as_group.
    await rememberProgramTree(program(), ctx);
    process.kill(second, 'SIGKILL');
    await waitFor('the postmaster to be gone', () => !isLive(second));
    expect(isLive(backend)).toBe(true);
    expect(fs.existsSync(pidfile)).toBe(true);

    const status = await programStatus(program(), ctx);
    expect(status.code).toBe(1);
    expect(status.leftovers?.map((l) => l.pid)).toContain(backend);
    expect(fs.existsSync(pidfile)).toBe(true); // autopid=False: postgres's own file

    // What usrsvcd's restart does: stop_as_group stops the leftovers first, then the start succeeds.
    const again = await startProgram(program(), ctx, {});
    expect(again.code, `${again.message} ${again.stderrTail?.join(' | ')}`).toBe(0);
    expect(isLive(backend)).toBe(false);
    const third = await h.servicePid(pidfile, second, 30_000);
    await waitFor('postgres to answer after its crash', ready, { timeoutMs: 30_000 });

    const tree = [...new Set([third, ...cookieTreeOf(h, 'postgres')])];
    for (const pid of tree) h.reaper.track(pid);
    const stopped = await stopProgram(program(), ctx, { byUser: true });
    expect(stopped.code, stopped.message).toBe(0);
    await waitFor('nothing of postgres left', () => tree.every((pid) => !isLive(pid)) && cookieTreeOf(h, 'postgres').length === 0, { timeoutMs: 20_000 });
    query.kill('SIGKILL');
  }, 180_000);
});

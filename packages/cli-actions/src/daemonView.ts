import fs from 'node:fs';
import type { ProgramView } from '@usrsvc/api';
import { viewStatus } from '@usrsvc/api/status';
import { ReturnCodes, returnCodeName } from '@usrsvc/launcher';
import { daemonSocketPath } from './daemonSocket.js';
import type { ResultJson } from './resultJson.js';

/** What usrsvcd says about every program, or why there is nothing to say. */
export type DaemonPrograms = { running: true; programs: Map<string, ProgramView> } | { running: false; why: string };

/**
 * Where usrsvc's commands get usrsvcd's view from: its API, or (usrsvcd answering a status itself)
 * its own state. `names`: the programs the caller will look at (all when unset); a source may
 * return more, and usrsvcd's own builds only those.
 */
export type ReadDaemonPrograms = (env: NodeJS.ProcessEnv, names?: readonly string[]) => Promise<DaemonPrograms>;

const API_TIMEOUT_MS = 3_000;

/**
 * Reads usrsvcd's view through its API: of every program (GET /v1/programs, served from a cache up
 * to 500 ms old), or of the programs `names` asks for (GET /v1/programs/NAME each, built now, as
 * usrsvcd's own answer builds them: the two ways print the same). A name usrsvcd does not know is
 * left out. The client is loaded only when the socket exists, so `usrsvc status` without a daemon
 * costs one stat.
 */
export async function readDaemonPrograms(env: NodeJS.ProcessEnv, names?: readonly string[]): Promise<DaemonPrograms> {
  let socket: string;
  try {
    socket = daemonSocketPath(env);
    if (!fs.statSync(socket).isSocket()) return { running: false, why: 'no API socket' };
  } catch {
    return { running: false, why: 'no API socket' };
  }
  try {
    const { ApiError, createApiClient } = await import('@usrsvc/api');
    const client = createApiClient({ socket, timeoutMs: API_TIMEOUT_MS });
    const unknownIsNone = (error: unknown) => {
      if (error instanceof ApiError && error.status === 404) return undefined;
      throw error;
    };
    const programs = names ? await Promise.all(names.map((name) => client.program(name).catch(unknownIsNone))) : await client.programs();
    return { running: true, programs: new Map(programs.filter((view) => view !== undefined).map((view) => [view.name, view])) };
  } catch (error) {
    return { running: false, why: error instanceof Error ? error.message : String(error) };
  }
}

/** A status result with usrsvcd's view of its program added, when usrsvcd runs and knows it. */
export function withDaemonView<T extends { name: string; usrsvcd?: ProgramView }>(result: T, views: DaemonPrograms | undefined): T {
  const view = views?.running ? views.programs.get(result.name) : undefined;
  return view ? { ...result, usrsvcd: view } : result;
}

/** A status result made from usrsvcd's view alone (no process scan): what `usrsvc status` prints when the daemon answers. */
export function resultFromView(view: ProgramView, now = Date.now()): ResultJson {
  const process = runningProcess(view);
  const running = process !== null;
  const code = running ? ReturnCodes.SUCCESS : ReturnCodes.GENERAL_FAILURE;
  return {
    name: view.name,
    action: 'status',
    code,
    codeName: returnCodeName(code),
    outcome: running ? 'running' : view.state.state === 'stopped-by-user' ? 'stopped-by-user' : 'not-running',
    message: running ? `${view.name} is running` : `${view.name} is not running`,
    running,
    pid: process?.pid ?? null,
    cmdline: process?.cmdline ?? null,
    argv: process?.argv ?? null,
    executable: process?.executable ?? null,
    startTime: process?.startTime ?? null,
    uptimeSeconds: uptimeSecondsOf(process, now),
    rssKb: process?.rssKb ?? null,
    stderrTail: [],
    leftovers: view.leftovers,
    usrsvcd: view,
  };
}

/** The uptime resultFromView reports at `now`: null when the program does not run. */
export function uptimeSecondsOfView(view: ProgramView, now = Date.now()): number | null {
  return uptimeSecondsOf(runningProcess(view), now);
}

function uptimeSecondsOf(process: ProgramView['process'], now: number): number | null {
  return process ? Math.max(0, Math.round((now - Date.parse(process.startTime)) / 1000)) : null;
}

function runningProcess(view: ProgramView): ProgramView['process'] {
  // Managed or not: the one rule of every surface.
  return viewStatus(view).running ? view.process : null;
}

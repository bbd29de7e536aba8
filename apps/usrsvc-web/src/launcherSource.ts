import { type ActionResponse, type ActionResultView, type ConfigProblem, type ProgramAction, type ProgramView, actionResultView, processView, viewStatus } from '@usrsvc/api';
import { ConfigErrors, type ProgramConfig, type UsrsvcConfig, readConfig } from '@usrsvc/config';
import {
  type ActionResult,
  type LaunchContext,
  LockTimeoutError,
  ReturnCodes,
  isStoppedByUser,
  programStatus,
  restartProgram,
  returnCodeName,
  startProgram,
  stopProgram,
} from '@usrsvc/launcher';
import { snapshotProcesses } from '@usrsvc/procscan';

export interface LauncherSnapshot {
  programs: ProgramView[];
  errors: ConfigProblem[];
}

/**
 * The programs' status and actions without usrsvcd, as the `usrsvc` CLI does them: the config
 * read afresh each time, one process-table scan for every status, the launcher's locks and
 * user-stop marks.
 */
export class LauncherSource {
  private readonly since = new Map<string, { state: string; since: string }>();

  constructor(
    private readonly ctx: LaunchContext,
    private readonly configPath?: string,
  ) {}

  readConfig(): UsrsvcConfig {
    const env = this.ctx.env ?? process.env;
    return readConfig(this.configPath === undefined ? { env } : { path: this.configPath, env });
  }

  async snapshot(): Promise<LauncherSnapshot> {
    let config: UsrsvcConfig;
    try {
      config = this.readConfig();
    } catch (error) {
      return { programs: [], errors: configProblems(error) };
    }
    const table = await snapshotProcesses({ uid: this.ctx.uid });
    const programs = await Promise.all(
      [...config.programs.values()].map(async (program) => this.view(program, await programStatus(program, this.ctx, table))),
    );
    return { programs, errors: [] };
  }

  /** `name` may be "all": every program in order; start and restart skip disabled ones. */
  async act(name: string, action: ProgramAction): Promise<ActionResponse> {
    const config = this.readConfig();
    const targets = name === 'all' ? [...config.programs.values()].filter((p) => action === 'stop' || p.enabled) : [config.programs.get(name)];
    const results: ActionResultView[] = [];
    for (const program of targets) {
      if (!program) {
        results.push(resultView({ name, action, code: ReturnCodes.PROGRAM_UNDEFINED, outcome: 'not-running', message: `No such program: ${name}` }));
        continue;
      }
      results.push(resultView(await this.actOn(program, action)));
    }
    return { code: results.reduce((worst, r) => Math.max(worst, r.code), 0), results };
  }

  private async actOn(program: ProgramConfig, action: ProgramAction): Promise<ActionResult> {
    try {
      if (action === 'start') return await startProgram(program, this.ctx, { byUser: true });
      if (action === 'stop') return await stopProgram(program, this.ctx, { byUser: true });
      return await restartProgram(program, this.ctx, { byUser: true });
    } catch (error) {
      const code = error instanceof LockTimeoutError ? ReturnCodes.TRY_AGAIN : ReturnCodes.UNKNOWN_FAILURE;
      return { name: program.name, action, code, outcome: 'stop-failed', message: (error as Error).message };
    }
  }

  private view(program: ProgramConfig, status: ActionResult): ProgramView {
    const process = status.code === ReturnCodes.SUCCESS ? status.process : undefined;
    const state = this.stateOf(program, process?.pid, process?.startTime);
    const view = process ? processView(process) : null;
    return {
      name: program.name,
      enabled: program.enabled,
      autoStart: program.autoStart,
      autoRestart: program.autoRestart,
      maxRestarts: program.maxRestarts,
      state,
      running: viewStatus({ state, process: view }).running,
      restarts: 0,
      startAttempts: 0,
      restartCounts: { crash: 0, monitor: 0, manual: 0 },
      process: view,
      lastExit: null,
      monitors: [],
      leftovers: [],
      stdout: program.stdout,
      stderr: program.stderr,
      readiness: {
        check: program.readyCheck?.text ?? null,
        ready: process ? true : null,
        status: status.readiness?.status ?? null,
        stopping: false,
        reloading: false,
        waitingFor: null,
      },
      dependsOn: program.dependsOn,
    };
  }

  private stateOf(program: ProgramConfig, pid: number | undefined, startTime: number | undefined): ProgramView['state'] {
    if (pid !== undefined) return { state: 'running', pid, since: new Date(startTime ?? Date.now()).toISOString() };
    if (!program.enabled) return { state: 'not-managed', why: 'disabled' };
    const name = isStoppedByUser(program.name, this.ctx) ? 'stopped-by-user' : 'not-running';
    const previous = this.since.get(program.name);
    const since = previous?.state === name ? previous.since : new Date().toISOString();
    this.since.set(program.name, { state: name, since });
    return name === 'stopped-by-user' ? { state: name, since } : { state: 'not-running', since, why: 'usrsvcd is not running' };
  }
}

const resultView = (result: ActionResult): ActionResultView => actionResultView(result, returnCodeName);

export function configProblems(error: unknown): ConfigProblem[] {
  if (error instanceof ConfigErrors) {
    return error.errors.map((e) => ({
      file: e.file,
      ...(e.line !== undefined ? { line: e.line } : {}),
      ...(e.section !== undefined ? { section: e.section } : {}),
      ...(e.key !== undefined ? { key: e.key } : {}),
      message: e.hint ? `${e.detail} (${e.hint})` : e.detail,
    }));
  }
  return [{ file: '', message: (error as Error).message }];
}

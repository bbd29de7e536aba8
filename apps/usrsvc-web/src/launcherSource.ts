import { type ActionResponse, type ActionResultView, type ConfigProblem, type ProgramAction, type ProgramView, actionResultView, processView, instanceView, programSettingsView, viewStatus } from '@usrsvc/api';
import { configProblemsOf, type ProgramConfig, type UsrsvcConfig, readConfig } from '@usrsvc/config';
import {
  type ActionResult,
  type LaunchContext,
  ReturnCodes,
  actionExitCode,
  actionTargets,
  isStoppedByUser,
  processTableOf,
  programStatus,
  returnCodeName,
  runProgramAction,
} from '@usrsvc/launcher';

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
      return { programs: [], errors: configProblemsOf(error) };
    }
    const table = await processTableOf(this.ctx.uid);
    const programs = await Promise.all(
      [...config.programs.values()].map(async (program) => this.view(program, await programStatus(program, this.ctx, table))),
    );
    return { programs, errors: [] };
  }

  /** `name` may be "all": every program in order (the same rule and codes as the CLI and usrsvcd). */
  async act(name: string, action: ProgramAction): Promise<ActionResponse> {
    const results: ActionResultView[] = [];
    for (const target of actionTargets(this.readConfig().programs, name)) {
      results.push(resultView(await runProgramAction(target, action, this.ctx)));
    }
    return { code: actionExitCode(name, results), results };
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
      restartCounts: { crash: 0, monitor: 0, watchdog: 0, manual: 0, change: 0 },
      process: view,
      lastExit: null,
      monitors: [],
      leftovers: [],
      stdout: program.stdout,
      stderr: program.stderr,
      settings: programSettingsView(program),
      instance: instanceView(program),
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

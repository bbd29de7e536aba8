import { makeTempHome, Reaper, type TempHome } from '@usrsvc/testkit';
import { type CliRun, runCli, type RunCliOptions } from './runCli.js';
import { type ProgramSettings, writeConfig } from './testConfig.js';

/**
 * A temp HOME with a usrsvc config, a CLI runner bound to it, and a Reaper that kills (by PID)
 * every program any CLI run may have started: call cleanup() in afterEach.
 */
export interface CliTestHome {
  home: TempHome;
  pidfiles: Record<string, string>;
  reaper: Reaper;
  /** extraEnv is applied after home.env(), which drops NO_COLOR and FORCE_COLOR. */
  usrsvc(args: readonly string[], options?: Partial<RunCliOptions> & { extraEnv?: NodeJS.ProcessEnv }): Promise<CliRun>;
  cleanup(): void;
}

export function makeCliTestHome(
  programs: Record<string, ProgramSettings> | ((home: TempHome) => Record<string, ProgramSettings>),
): CliTestHome {
  const home = makeTempHome('usrsvc-cli-test-');
  const pidfiles = writeConfig(home, typeof programs === 'function' ? programs(home) : programs);
  const reaper = new Reaper();
  const trackAll = () => {
    for (const pidfile of Object.values(pidfiles)) reaper.trackPidfile(pidfile);
  };
  return {
    home,
    pidfiles,
    reaper,
    async usrsvc(args, options = {}) {
      const run = await runCli(args, { env: { ...home.env(), ...options.extraEnv }, onSpawn: options.onSpawn });
      trackAll();
      for (const pid of pidsInJson(run.stdout)) reaper.track(pid);
      return run;
    },
    cleanup() {
      trackAll();
      reaper.killAll();
      home.remove();
    },
  };
}

function pidsInJson(stdout: string): number[] {
  try {
    const parsed = JSON.parse(stdout) as unknown;
    const items = Array.isArray(parsed) ? parsed : [parsed];
    return (items as Array<{ pid?: unknown; running?: unknown }>)
      .filter((item) => item.running === true && typeof item.pid === 'number')
      .map((item) => item.pid as number);
  } catch {
    return [];
  }
}

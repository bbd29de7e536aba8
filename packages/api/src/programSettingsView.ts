import type { InstanceView, ProgramSettingsView } from './types.js';

type LimitValue = number | 'infinity';

/** What a configured program holds that programSettingsView reads (structurally: this package needs no config). */
export interface ProgramSettingsLike {
  directory?: string | undefined;
  envFiles?: readonly string[];
  limits?: Partial<Record<string, { soft: LimitValue; hard: LimitValue }>>;
  umask?: number | undefined;
  nice?: number | undefined;
  autoRestart: boolean;
  restartOnlyUnexpected?: boolean;
  exitCodes?: readonly number[];
  reloadSignal?: string | undefined;
  restartOnChange?: readonly string[];
  restartOnChangeIgnore?: readonly string[];
}

/**
 * A program's launch settings for the API and the page: env file paths, never their contents
 * nor any environment value. One builder for usrsvcd and usrsvc-web's launcher mode.
 */
export function programSettingsView(program: ProgramSettingsLike): ProgramSettingsView {
  const limits: Record<string, string> = {};
  for (const [resource, limit] of Object.entries(program.limits ?? {})) {
    if (limit) limits[resource] = limit.soft === limit.hard ? String(limit.soft) : `${limit.soft}:${limit.hard}`;
  }
  return {
    directory: program.directory ?? null,
    envFiles: [...(program.envFiles ?? [])],
    limits,
    umask: program.umask === undefined ? null : program.umask.toString(8).padStart(3, '0'),
    nice: program.nice ?? null,
    autoRestart: !program.autoRestart ? 'never' : program.restartOnlyUnexpected ? 'unexpected' : 'always',
    exitCodes: [...(program.exitCodes ?? [0])],
    reloadSignal: program.reloadSignal ?? null,
    restartOnChange: [...(program.restartOnChange ?? [])],
    restartOnChangeIgnore: [...(program.restartOnChangeIgnore ?? [])],
  };
}

/** Which instance a configured program is (instances = N), or null for a program without instances. */
export function instanceView(program: { instanceOf?: string | undefined; instance?: number | undefined; instances?: number | undefined }): InstanceView | null {
  if (program.instanceOf === undefined) return null;
  return { program: program.instanceOf, instance: program.instance ?? 0, instances: program.instances ?? 1 };
}

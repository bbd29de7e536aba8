import type { ActionResultView, LeftoverProcess, ProgramAction } from './types.js';

/** What a launcher ActionResult holds that the API reports (structurally, so this package needs no launcher). */
export interface ActionResultLike {
  name: string;
  action: ProgramAction | 'status' | 'reload' | 'signal';
  code: number;
  outcome: string;
  message: string;
  process?: { pid: number };
  stderrTail?: string[];
  leftovers?: LeftoverProcess[];
}

/** One program's action result as the API (and `usrsvc --json`) reports it; `codeName` names the exit code. */
export function actionResultView(result: ActionResultLike, codeName: (code: number) => string): ActionResultView {
  return {
    name: result.name,
    action: result.action,
    code: result.code,
    codeName: codeName(result.code),
    outcome: result.outcome,
    message: result.message,
    pid: result.process?.pid ?? null,
    stderrTail: result.stderrTail ?? [],
    leftovers: (result.leftovers ?? []).map(({ pid, cmdline }) => ({ pid, cmdline })),
  };
}

/** The original usrsvc's exit codes (usrsvcmod/constants.py); scripts depend on these values. */
export const ReturnCodes = {
  SUCCESS: 0,
  GENERAL_FAILURE: 1,
  /** Same as EAGAIN: try the operation again (e.g. the program's lock was busy). */
  TRY_AGAIN: 11,
  INVALID_CONFIG: 130,
  INVALID_ACTION: 131,
  PROGRAM_DISABLED: 132,
  PROGRAM_UNDEFINED: 133,
  /** Launched and matched, but died before success_seconds passed. */
  PROGRAM_EXITED_UNEXPECTEDLY: 134,
  USRSVCD_ALREADY_RUNNING: 135,
  INSUFFICIENT_PERMISSIONS: 136,
  /** The command could not run, or nothing matching proctitle_re was running in time. */
  PROGRAM_FAILED_TO_LAUNCH: 137,
  HELP_MESSAGE: 138,
  /** New: a ready_check did not pass within ready_timeout (the program was stopped). */
  PROGRAM_NOT_READY: 139,
  UNKNOWN_FAILURE: 254,
} as const;

export type ReturnCodeName = keyof typeof ReturnCodes;
export type ReturnCode = (typeof ReturnCodes)[ReturnCodeName];

/** The name of a code, as the original's returnCodeToString: "PROGRAM_DISABLED", "UNKNOWN(7)". */
export function returnCodeName(code: number): string {
  return NAMES_BY_CODE.get(code) ?? `UNKNOWN(${code})`;
}

const NAMES_BY_CODE = new Map<number, string>(Object.entries(ReturnCodes).map(([name, value]) => [value, name]));

/** supervisord's fault codes (supervisor/xmlrpc.py Faults), by name. */
export const Faults = {
  UNKNOWN_METHOD: 1,
  INCORRECT_PARAMETERS: 2,
  BAD_ARGUMENTS: 3,
  SIGNATURE_UNSUPPORTED: 4,
  SHUTDOWN_STATE: 6,
  BAD_NAME: 10,
  BAD_SIGNAL: 11,
  NO_FILE: 20,
  NOT_EXECUTABLE: 21,
  FAILED: 30,
  ABNORMAL_TERMINATION: 40,
  SPAWN_ERROR: 50,
  ALREADY_STARTED: 60,
  NOT_RUNNING: 70,
  SUCCESS: 80,
  ALREADY_ADDED: 90,
  STILL_RUNNING: 91,
  CANT_REREAD: 92,
} as const;

export type FaultName = keyof typeof Faults;

/**
 * An XML-RPC fault as supervisord words it: faultString is the code's name, then ": " and the
 * detail when there is one ("BAD_NAME: web").
 */
export class RpcFault extends Error {
  readonly code: number;
  readonly text: string;
  constructor(
    readonly faultName: FaultName,
    detail?: string,
  ) {
    const text = detail === undefined ? faultName : `${faultName}: ${detail}`;
    super(text);
    this.name = 'RpcFault';
    this.code = Faults[faultName];
    this.text = text;
  }
}

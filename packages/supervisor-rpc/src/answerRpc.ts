import { asFault, callAccess, callMethod } from './callMethod.js';
import { RpcFault } from './faults.js';
import type { MethodContext } from './methodTable.js';
import { parseMethodCall } from './parseMethodCall.js';
import { serializeFault, serializeResponse } from './serializeResponse.js';
import type { SupervisorBackend } from './SupervisorBackend.js';

/** The largest request body served (supervisorctl's calls are well under 1 KiB; a multicall of 200 under 64 KiB). */
export const RPC_MAX_BODY_BYTES = 256 * 1024;

export interface AnswerOptions {
  backend: SupervisorBackend;
  /** Whether calls that change something are allowed (false: a read-only token). */
  mayWrite: boolean;
  /** Called with an action to run after the answer is written (shutdown, restart). */
  afterResponse?: (action: () => void) => void;
  /** Reports an unexpected error (a bug), which is answered as a FAILED fault. */
  onError?: (error: unknown) => void;
}

export type RpcAnswer =
  /** Always HTTP 200 text/xml, a fault included (as supervisord). */
  | { kind: 'xml'; method: string | undefined; xml: string }
  /** A write method with a read-only credential: answer 403, as the server refuses requests. */
  | { kind: 'refused'; method: string };

/**
 * One POST /RPC2: parses the body, checks access, calls the method from the fixed table, and
 * serialises the answer. Never throws: bad XML, unknown methods, wrong types are faults.
 */
export async function answerRpc(body: Buffer | string | { tooLarge: true }, options: AnswerOptions): Promise<RpcAnswer> {
  if (typeof body === 'object' && !Buffer.isBuffer(body)) {
    return { kind: 'xml', method: undefined, xml: serializeFault(new RpcFault('INCORRECT_PARAMETERS', `request body larger than ${RPC_MAX_BODY_BYTES} bytes`)) };
  }
  let method: string | undefined;
  try {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    const call = parseMethodCall(text);
    method = call.method;
    if (!options.mayWrite && callAccess(call) === 'write') return { kind: 'refused', method };
    const ctx: MethodContext = { backend: options.backend, afterResponse: options.afterResponse ?? ((action) => setImmediate(action)) };
    return { kind: 'xml', method, xml: serializeResponse(await callMethod(call, ctx)) };
  } catch (error) {
    if (!(error instanceof RpcFault)) options.onError?.(error);
    return { kind: 'xml', method, xml: serializeFault(asFault(error)) };
  }
}

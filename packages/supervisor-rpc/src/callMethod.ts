import { RpcFault } from './faults.js';
import { type MethodContext, type MethodSpec, methodTable } from './methodTable.js';
import type { MethodCall } from './parseMethodCall.js';
import { isStruct, type XmlRpcValue, xmlRpcType } from './xmlRpcValue.js';

function checkedArgs(spec: MethodSpec, params: XmlRpcValue[]): XmlRpcValue[] {
  if (params.length > spec.params.length) throw new RpcFault('INCORRECT_PARAMETERS', `${spec.name} takes at most ${spec.params.length} parameter${spec.params.length === 1 ? '' : 's'}`);
  return spec.params.map((param, i) => {
    const value = params[i];
    if (value === undefined) {
      if (param.default === undefined) throw new RpcFault('INCORRECT_PARAMETERS', `${spec.name} needs ${param.name} (${param.type})`);
      return param.default;
    }
    if (xmlRpcType(value) !== param.type) throw new RpcFault('INCORRECT_PARAMETERS', `${spec.name}: ${param.name} must be ${param.type}, not ${xmlRpcType(value)}`);
    return value;
  });
}

/** The method a name names in the table; UNKNOWN_METHOD otherwise (no lookup outside the table). */
export function findMethod(name: string): MethodSpec {
  const spec = methodTable().get(name);
  if (!spec) throw new RpcFault('UNKNOWN_METHOD', name);
  return spec;
}

/** Whether a call changes anything: its method's access, and for a multicall any of its calls'. */
export function callAccess(call: MethodCall): 'read' | 'write' {
  const spec = methodTable().get(call.method);
  if (!spec) return 'read';
  if (spec.name !== 'system.multicall') return spec.access;
  const calls = call.params[0];
  if (!Array.isArray(calls)) return 'read';
  for (const inner of calls) {
    if (isStruct(inner) && typeof inner.methodName === 'string' && methodTable().get(inner.methodName)?.access === 'write') return 'write';
  }
  return 'read';
}

const asFault = (error: unknown): RpcFault => (error instanceof RpcFault ? error : new RpcFault('FAILED', error instanceof Error ? error.message : String(error)));

/** Calls one method from the table; the answer is a value or an RpcFault (thrown). */
export async function callMethod(call: MethodCall, ctx: MethodContext): Promise<XmlRpcValue> {
  const spec = findMethod(call.method);
  const args = checkedArgs(spec, call.params);
  if (spec.name === 'system.multicall') return multicall(args[0] as XmlRpcValue[], ctx);
  return spec.call(args, ctx);
}

/** system.multicall: the calls one after another, each answered by [value] or a fault struct. */
async function multicall(calls: XmlRpcValue[], ctx: MethodContext): Promise<XmlRpcValue[]> {
  const results: XmlRpcValue[] = [];
  for (const call of calls) {
    try {
      if (!isStruct(call)) throw new RpcFault('INCORRECT_PARAMETERS', 'each call must be a struct {methodName, params}');
      const { methodName, params = [] } = call;
      if (typeof methodName !== 'string') throw new RpcFault('INCORRECT_PARAMETERS', 'No methodName');
      if (methodName === 'system.multicall') throw new RpcFault('INCORRECT_PARAMETERS', 'Recursive system.multicall forbidden');
      if (!Array.isArray(params)) throw new RpcFault('INCORRECT_PARAMETERS', 'params must be an array');
      results.push([await callMethod({ method: methodName, params }, ctx)]);
    } catch (error) {
      const fault = asFault(error);
      results.push({ faultCode: fault.code, faultString: fault.text });
    }
  }
  return results;
}

export { asFault };

export { answerRpc, RPC_MAX_BODY_BYTES, type AnswerOptions, type RpcAnswer } from './answerRpc.js';
export { callMethod, callAccess, findMethod } from './callMethod.js';
export { Faults, RpcFault, type FaultName } from './faults.js';
export { readLogBytes, tailLogBytes, LOG_READ_MAX_BYTES } from './logFile.js';
export { API_VERSION, ALL_CONCURRENCY, methodTable, splitNamespec, type MethodSpec, type MethodContext } from './methodTable.js';
export { parseMethodCall, PARSE_LIMITS, type MethodCall } from './parseMethodCall.js';
export { describeProcess, formatStopTime, formatUptime, groupOf, processInfo, type ProcessInfo } from './processInfo.js';
export {
  ProcessStates,
  processState,
  processStateName,
  RUNNING_STATES,
  SIGNALLABLE_STATES,
  STOPPED_STATES,
  SupervisorStates,
  type ProcessStateCode,
  type ProcessStateName,
} from './processStates.js';
export { serializeFault, serializeResponse, serializeValue, escapeXml } from './serializeResponse.js';
export { parseSignal } from './signals.js';
export type { ConfigChanges, SupervisorBackend } from './SupervisorBackend.js';
export { followLogBytes, type LogFollowOptions } from './followLogBytes.js';
export { isStruct, XmlRpcDouble, xmlRpcType, type XmlRpcValue } from './xmlRpcValue.js';

export { readConfig } from './readConfig.js';
export { type ConfigInput, configInputsUnchanged } from './configInputs.js';
export { mainConfigPath } from './mainConfigPath.js';
export { ConfigError, ConfigErrors, type ConfigErrorContext } from './ConfigError.js';
export { formatConfigProblem, formatConfigWarning, type ConfigProblemPlace } from './formatConfigProblem.js';
export { translatePythonRegex, translatePythonRegexSource, PythonRegexError, type TranslatedRegex } from './translatePythonRegex.js';
export { defaultProctitleRe } from './defaultProctitleRe.js';
export { builtinMonitoringKeys, programKeys, mainKeys, signalName } from './keySpecs.js';
export { STOP_SIGNALS, parseStopSignal, type StopSignal } from './stopSignal.js';
export { parseHostPort, type HostPort } from './parseHostPort.js';
export { parseKeyValue, parseSize, type ParsedKeyValue } from './parseKeyValue.js';
export {
  parseReadyCheck,
  parseStatusRanges,
  statusAccepted,
  DEFAULT_READY_STATUS,
  READY_CHECK_FORMS,
  type ReadyCheck,
  type StatusRange,
} from './readyCheck.js';
export { dependencyLayers, dependentsOf } from './dependencyGraph.js';
export {
  expandInstanceFields,
  INSTANCE_ENV,
  instanceName,
  MAX_INSTANCES,
  parseInstanceName,
  resolveProgramName,
} from './instances.js';
export type { KeySpec } from './KeySpec.js';
export {
  formatResourceLimit,
  parseResourceLimit,
  RESOURCE_LIMIT_KEYS,
  type ResourceLimit,
  type ResourceLimitKey,
  type ResourceLimits,
  type ResourceLimitValue,
  type ResourceName,
} from './resourceLimits.js';
export { compileGlob, globProblem, GlobSyntaxError, DEFAULT_CHANGE_IGNORE } from './changeGlob.js';
export { parseDotenv, DotenvSyntaxError, type DotenvEntry } from './parseDotenv.js';
export type {
  ConfigWarning,
  DefaultSettingsConfig,
  MainConfig,
  MonitoringSettings,
  ProgramConfig,
  ReadConfigOptions,
  UsrsvcConfig,
} from './types.js';
export { configProblemsOf, type ConfigProblemReport } from './configProblemsOf.js';

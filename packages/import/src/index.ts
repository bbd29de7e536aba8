export { importConfig } from './importConfig.js';
export { ImportParseError } from './ImportParseError.js';
export { describeSourceRef } from './sourceRef.js';
export { parseSupervisordIni, type IniEntry, type IniSection } from './supervisord/parseSupervisordIni.js';
export { parseSupervisordEnvironment } from './supervisord/parseSupervisordEnvironment.js';
export { expandPythonMapping, formatPython } from './formatPython.js';
export { renderValue } from './renderValue.js';
export {
  SOURCE_KINDS,
  type ImportedProgram,
  type ImportOptions,
  type ImportResult,
  type ReportLine,
  type ReportOutcome,
  type SourceKind,
  type SourceRef,
  type TargetKeys,
} from './types.js';

export { runUsrsvcdCli } from './cli.js';
export { Daemon, type DaemonOptions, daemonTuning } from './Daemon.js';
export { ProgramSupervisor, type Phase, type SupervisorDeps } from './ProgramSupervisor.js';
export { decideRestart, delayBeforeAttempt, policyFromProgram, type RestartDecision, type RestartHistory, type RestartPolicy } from './restartPolicy.js';
export { DaemonLog, formatLine } from './log.js';
export { describeDiff, diffPrograms, type ConfigDiff } from './configDiff.js';
export { ConfigLoadError, type LoadedConfig, loadConfig } from './loadConfig.js';
export { runningDaemonPid } from './daemonPidfile.js';
export { DAEMON_NODE_FLAGS } from './nodeFlags.js';

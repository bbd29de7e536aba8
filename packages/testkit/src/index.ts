export { makeTempHome, type TempHome } from './tempHome.js';
export { Reaper } from './reaper.js';
export { processesOfHome, killProcessesOfHome, type HomeProcess } from './processesOfHome.js';
export { waitFor, sleep, WaitTimeoutError } from './waitFor.js';
export { procStat, isRunning, ancestorsOf, isInitOrSubreaper, readPidfile } from './procfs.js';
export { startSmtpTestServer, closedPort, type SmtpTestServer, type SmtpTestServerOptions, type ReceivedMail } from './smtpTestServer.js';
export { writeFakeSendmail, readCapturedMails, type FakeSendmailOptions, type CapturedMail } from './fakeSendmail.js';
export { parseRawMail, type ParsedMail } from './parseRawMail.js';
export { freePort } from './freePort.js';
export { startServerProcess, type ServerProcess, type StartServerOptions } from './serverProcess.js';
export {
  PROMETHEUS_BINARIES,
  runPromtool,
  runAmtool,
  startNodeExporter,
  startPrometheus,
  startAlertmanager,
  type PromtoolResult,
  type PrometheusServer,
  type AlertmanagerServer,
  type AlertmanagerAlert,
} from './prometheusServers.js';
export { startWebhookReceiver, type WebhookReceiver, type ReceivedRequest } from './webhookReceiver.js';
export { memoryLogger, type LogEntry } from './memoryLogger.js';
export { procLimits, procUmask, procNice, procEnviron, procCwd, type ProcLimit } from './processSettings.js';
export { childrenOf, httpGetBody, isSameLiveProcess, processGroupOf } from './serverTree.js';
export { NGINX, nginxConfig, wsgiApp, type NginxSite } from './serverConfigs.js';
export { instanceProgram, readInstanceEvents, type InstanceEvent } from './instanceProgram.js';
export { startProcess } from './startProcess.js';
export { startRetitledPerl } from './retitledPerl.js';
export { pingsDelivered, writeWatchdogPinger, type WatchdogPingerOptions } from './watchdogPinger.js';

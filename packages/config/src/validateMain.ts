import type { ConfigProblems } from './ConfigProblems.js';
import { mainKeys } from './keySpecs.js';
import type { ConfigSection } from './parseConfigobj.js';
import { parseSettings, withDefaults } from './parseSettings.js';
import type { MainConfig } from './types.js';

/** Builds MainConfig from the [Main] section; pidfile defaults as in the original's code. */
export function validateMain(section: ConfigSection, problems: ConfigProblems, home: string): MainConfig {
  for (const subsection of section.subsections) {
    problems.error(`[Main] has no subsections; [[${subsection.name}]] is not allowed`, {
      file: subsection.file,
      line: subsection.line,
      section: 'Main',
    });
  }
  const values = withDefaults(mainKeys, parseSettings(section.entries.values(), mainKeys, problems));
  const stdout = values['usrsvcd_stdout'] as string | undefined;
  const stderr = values['usrsvcd_stderr'] as string | undefined;
  const configDir = values['config_dir'] as string | undefined;

  const main: MainConfig = {
    file: section.file,
    pidfile: (values['pidfile'] as string | undefined) ?? `${home}/${process.getuid?.() ?? 0}_usrsvcd.pid`,
    sendmailPath: values['sendmail_path'] as string,
    alertInterval: values['alert_interval'] as number,
    monitorPlugins: values['monitor_plugins'] as string[],
    monitorInterval: values['monitor_interval'] as number,
    monitorTimeout: values['monitor_timeout'] as number,
    usrsvcdMaxBytes: values['usrsvcd_max_bytes'] as number,
    usrsvcdBackups: values['usrsvcd_backups'] as number,
    usrsvcdLogFormat: values['usrsvcd_log_format'] as 'text' | 'json',
    alertmanagerUrls: values['alertmanager_url'] as string[],
  };
  if (configDir) main.configDir = configDir.length > 1 ? configDir.replace(/\/+$/, '') : configDir;
  if (stdout) main.usrsvcdStdout = stdout;
  const resolvedStderr = stderr === 'stdout' ? stdout : stderr;
  if (resolvedStderr) main.usrsvcdStderr = resolvedStderr;
  if (values['smtp_url']) main.smtpUrl = values['smtp_url'] as string;
  if (values['email_from']) main.emailFrom = values['email_from'] as string;
  if (values['web_listen']) main.webListen = values['web_listen'] as string;
  if (values['web_tls_cert']) main.webTlsCert = values['web_tls_cert'] as string;
  if (values['web_tls_key']) main.webTlsKey = values['web_tls_key'] as string;
  if (values['metrics_textfile']) main.metricsTextfile = values['metrics_textfile'] as string;
  if (values['webhook_url']) main.webhookUrl = values['webhook_url'] as string;
  if (values['webhook_secret']) main.webhookSecret = values['webhook_secret'] as string;
  return main;
}

import type { TempHome } from '@usrsvc/testkit';

export type ProgramSettings = Record<string, string | number | boolean>;

/**
 * Writes $HOME/usrsvc.cfg ([Main] with config_dir) and one config_dir/NAME.cfg per program, filling
 * in pidfile, stdout and a short success_seconds. Returns the pidfile of each program.
 */
export function writeConfig(home: TempHome, programs: Record<string, ProgramSettings>): Record<string, string> {
  home.write('usrsvc.cfg', `[Main]\nconfig_dir = ${home.path('cfg')}\npidfile = ${home.path('usrsvcd.pid')}\n`);
  home.write('logs/.keep', '');
  home.write('run/.keep', '');
  const pidfiles: Record<string, string> = {};
  for (const [name, settings] of Object.entries(programs)) {
    const full: ProgramSettings = {
      pidfile: home.path('run', `${name}.pid`),
      stdout: home.path('logs', `${name}.log`),
      success_seconds: 0.3,
      term_to_kill_seconds: 2,
      ...settings,
    };
    pidfiles[name] = String(full.pidfile);
    const lines = Object.entries(full).map(([key, value]) => `${key} = ${formatValue(value)}`);
    home.write(`cfg/${name}.cfg`, `[Program:${name}]\n${lines.join('\n')}\n`);
  }
  return pidfiles;
}

function formatValue(value: string | number | boolean): string {
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  return String(value);
}

let counter = 0;
/** A `sleep` (an hour at most, should a test leak it) that no other process runs, so that proctitle_re scans find only this one. */
export function uniqueSleep(): string {
  counter += 1;
  return `sleep 3600.${process.pid}${String(counter).padStart(4, '0')}`;
}

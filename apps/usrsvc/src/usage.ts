/** The top of `usrsvc --help`, in the original's words; yargs adds commands and options below. */
export function usageText(env: NodeJS.ProcessEnv): string {
  const defaultConfig = env.USRSVC_CONFIG ?? `${env.HOME ?? '$HOME'}/usrsvc.cfg`;
  return `Usage: usrsvc [options] start|stop|restart|status NAME|all
       usrsvc logs NAME|all [-n N] [-f] [--stdout|--stderr] [--json]

  Performs the requested action on the given program name.
  "all" can be used in place of NAME to act on every configured program
  (one after another, or all at once with --parallel/-P).
  For a program with instances, NAME is every instance and NAME@k one;
  "usrsvc restart NAME --rolling" restarts them one at a time.
  "usrsvc status" with no name shows a table of every program.
  "usrsvc logs" prints the last lines of the program's output, -f follows it ("usrsvc logs --help").

usrsvc performs actions on services; usrsvcd is the daemon for autorestart, monitoring and alerts.
Config: ${defaultConfig}
Documentation: run "usrsvc --readme".`;
}

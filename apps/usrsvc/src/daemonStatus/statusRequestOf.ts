import { daemonSocketPath } from '@usrsvc/cli-actions/daemonSocket';
import { environmentProblem, parseStatusCommandLine, STATUS_ENV_KEYS, type StatusRequest } from '@usrsvc/cli-actions/statusRequest';

/** The request for usrsvcd and its socket, or why this command line is not one usrsvcd may answer. */
export function statusRequestOf(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  streams: { stdout: { isTTY?: boolean }; stderr: { isTTY?: boolean } },
): { request: StatusRequest; socket: string } | { why: string } {
  if (env.USRSVC_NO_DAEMON_STATUS) return { why: 'USRSVC_NO_DAEMON_STATUS is set' };
  const command = parseStatusCommandLine(argv);
  if (!command) return { why: 'not a status command line usrsvcd answers' };
  const sent: Record<string, string | null> = {};
  for (const key of STATUS_ENV_KEYS) sent[key] = env[key] ?? null;
  const problem = environmentProblem(sent);
  if (problem) return { why: problem };
  let socket: string;
  try {
    socket = daemonSocketPath(env);
  } catch (error) {
    return { why: (error as Error).message };
  }
  return {
    socket,
    request: {
      version: 1,
      command,
      env: sent,
      stdoutIsTTY: streams.stdout.isTTY === true,
      stderrIsTTY: streams.stderr.isTTY === true,
      utcOffsetMinutes: new Date().getTimezoneOffset(),
      uid: process.getuid?.() ?? -1,
    },
  };
}

import { mainConfigPath } from '@usrsvc/config';
import { ctime } from '@usrsvc/logline';
import type { ReadDaemonPrograms } from './daemonView.js';
import { cachedConfigReader, type ConfigReader } from './cachedConfigReader.js';
import { Printer } from './printer.js';
import { runInvocation } from './runInvocation.js';
import { environmentProblem, STATUS_ENV_KEYS, type StatusAnswer, type StatusCommandLine, type StatusRequest } from './statusRequest.js';

/**
 * usrsvcd's answer to `usrsvc status`: the CLI's own runInvocation (the config as it is on disk
 * now, through cachedConfigReader; the same printer), run with the CLI's environment, terminal, time zone and uid, and usrsvcd's
 * own state in place of a call to its API. Declines (the CLI then does it all itself) whatever it
 * cannot reproduce: another uid, a status that reads an environment variable the request did not
 * carry, an error that would have been the CLI's "unexpected error", and a status of another main
 * config than `ownConfigFile` (usrsvcd's own: the path the request leads to is compared, never read).
 */
export async function answerStatusRequest(
  request: unknown,
  ownConfigFile: string,
  daemonPrograms: ReadDaemonPrograms,
  readConfig: ConfigReader = cachedReader,
): Promise<StatusAnswer> {
  const valid = validRequest(request);
  if (typeof valid === 'string') return { answered: false, why: valid };
  if (valid.uid !== process.getuid?.()) return { answered: false, why: 'another user' };
  const problem = environmentProblem(valid.env);
  if (problem) return { answered: false, why: problem };
  const env = trackedEnvironment(valid.env);
  if (mainConfigPath({ path: valid.command.configPath, env: env.values }) !== ownConfigFile) return { answered: false, why: "another config than usrsvcd's" };
  const output: [1 | 2, string][] = [];
  const streams = {
    stdout: { isTTY: valid.stdoutIsTTY, write: (text: string) => output.push([1, text]) },
    stderr: { isTTY: valid.stderrIsTTY, write: (text: string) => output.push([2, text]) },
  };
  const printer = new Printer(streams, env.values, false, () => ctime(new Date(), valid.utcOffsetMinutes));
  const { command } = valid;
  let code: number;
  try {
    code = await runInvocation(
      { action: 'status', target: command.target, json: command.json, parallel: command.parallel, debug: false, configPath: command.configPath },
      printer,
      env.values,
      { daemonPrograms, readConfig },
    );
  } catch (error) {
    return { answered: false, why: `error: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (env.unknown.size > 0) return { answered: false, why: `reads ${[...env.unknown].join(', ')}` };
  return { answered: true, output, code };
}

/** One per process: usrsvcd answers every status from it. */
const cachedReader = cachedConfigReader();

/** The request's environment as process.env looks to the status code, noting every other variable it reads. */
function trackedEnvironment(sent: Record<string, string | null>): { values: NodeJS.ProcessEnv; unknown: Set<string> } {
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(sent)) if (value !== null) values[key] = value;
  const known = new Set<string>(STATUS_ENV_KEYS);
  const unknown = new Set<string>();
  const proxy = new Proxy(values, {
    get(target, key) {
      if (typeof key === 'string' && !known.has(key)) unknown.add(key);
      return Reflect.get(target, key);
    },
    set(target, key, value) {
      // captureInheritedLimits and the like note things in the environment: theirs to read back.
      if (typeof key === 'string') known.add(key);
      return Reflect.set(target, key, String(value));
    },
    has(target, key) {
      if (typeof key === 'string' && !known.has(key)) unknown.add(key);
      return Reflect.has(target, key);
    },
    ownKeys(target) {
      unknown.add('(all of it)');
      return Reflect.ownKeys(target);
    },
  });
  return { values: proxy, unknown };
}

function validRequest(request: unknown): StatusRequest | string {
  if (typeof request !== 'object' || request === null) return 'not a request';
  const r = request as Partial<StatusRequest>;
  if (r.version !== 1) return 'unknown request version';
  if (typeof r.uid !== 'number' || typeof r.utcOffsetMinutes !== 'number' || !Number.isInteger(r.utcOffsetMinutes)) return 'bad request';
  if (typeof r.stdoutIsTTY !== 'boolean' || typeof r.stderrIsTTY !== 'boolean') return 'bad request';
  if (typeof r.env !== 'object' || r.env === null) return 'bad request';
  const env: Record<string, string | null> = {};
  for (const key of STATUS_ENV_KEYS) {
    const value = (r.env as Record<string, unknown>)[key];
    if (value !== null && typeof value !== 'string') return `bad request: env ${key}`;
    env[key] = value;
  }
  const command = validCommand(r.command);
  if (!command) return 'bad request: command';
  return { version: 1, uid: r.uid, utcOffsetMinutes: r.utcOffsetMinutes, stdoutIsTTY: r.stdoutIsTTY, stderrIsTTY: r.stderrIsTTY, env, command };
}

function validCommand(command: unknown): StatusCommandLine | undefined {
  if (typeof command !== 'object' || command === null) return undefined;
  const c = command as Partial<StatusCommandLine>;
  if (typeof c.json !== 'boolean' || typeof c.parallel !== 'boolean') return undefined;
  if (c.target !== undefined && (typeof c.target !== 'string' || c.target === '' || c.target.startsWith('-'))) return undefined;
  if (c.configPath !== undefined && (typeof c.configPath !== 'string' || !c.configPath.startsWith('/'))) return undefined;
  return { json: c.json, parallel: c.parallel, ...(c.target === undefined ? {} : { target: c.target }), ...(c.configPath === undefined ? {} : { configPath: c.configPath }) };
}

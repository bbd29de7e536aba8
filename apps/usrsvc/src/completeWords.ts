import { readConfig } from '@usrsvc/config';
import { SOURCE_KINDS } from '@usrsvc/import';
import { isAction } from '@usrsvc/cli-actions';

/** What `usrsvc signal NAME <TAB>` offers. */
const SIGNAL_NAMES = ['HUP', 'INT', 'QUIT', 'TERM', 'KILL', 'USR1', 'USR2', 'CONT', 'STOP', 'WINCH', 'TTIN', 'TTOU'];

type CompletionCallback = (error: Error | null, completions: string[] | undefined) => void;

/**
 * yargs' completion, plus "all" and the configured program names after an action
 * (`usrsvc start <TAB>`); yargs' own suggestions (commands, options) everywhere else.
 */
export function completeWords(env: NodeJS.ProcessEnv) {
  return (
    current: string,
    args: { _: unknown[]; config?: string },
    defaults: (onCompleted?: CompletionCallback) => void,
    done: (completions: string[]) => void,
  ): void => {
    // args._ is ["usrsvc", words before the cursor..., current]
    const before = args._.map(String).slice(1, -1);
    if (before.length === 1 && before[0] === 'import' && !current.startsWith('-')) {
      done(SOURCE_KINDS.filter((kind) => kind.startsWith(current)));
      return;
    }
    const completingName = before.length === 1 && (isAction(before[0]!) || before[0] === 'logs') && !current.startsWith('-');
    if (!completingName) {
      defaults((_error, completions) => done(completions ?? []));
      return;
    }
    if (before.length === 2 && before[0] === 'signal' && !current.startsWith('-')) {
      done(SIGNAL_NAMES.filter((name) => name.startsWith(current.toUpperCase())));
      return;
    }
    const names = ['all', ...programNames(args.config, env)];
    done(names.filter((name) => name.startsWith(current)));
  };
}

function programNames(configPath: string | undefined, env: NodeJS.ProcessEnv): string[] {
  try {
    const programs = readConfig(configPath ? { path: configPath, env } : { env }).programs.values();
    // A program with instances is offered as NAME (every instance) and as each NAME@k.
    return [...new Set([...programs].flatMap((program) => (program.instanceOf === undefined ? [program.name] : [program.instanceOf, program.name])))];
  } catch {
    return [];
  }
}

import parseArgs from 'yargs-parser';
import { type Invocation, isAction } from './invocation.js';
import { GLOBAL_OPTIONS } from './options.js';

export type FastParse =
  | { kind: 'invocation'; invocation: Invocation }
  | { kind: 'unknown-action'; action: string }
  /** Help, version, readme, completion, usage errors: for the full yargs CLI. */
  | { kind: 'needs-yargs' };

const KNOWN_KEYS = new Set<string>(['_', '--']);
for (const [name, spec] of Object.entries(GLOBAL_OPTIONS)) {
  KNOWN_KEYS.add(name);
  if ('alias' in spec) KNOWN_KEYS.add(spec.alias);
}
const BOOLEANS = Object.entries(GLOBAL_OPTIONS)
  .filter(([, spec]) => spec.type === 'boolean')
  .map(([name]) => name);

/**
 * Understands the everyday command lines (`usrsvc status NAME`, `usrsvc -P start all`...) with
 * yargs-parser alone, which loads in ~2 ms where all of yargs takes ~30 ms; anything else
 * (help, completion, mistakes) goes to the yargs CLI, which owns usage and error messages.
 */
export function parseFastArgs(argv: readonly string[]): FastParse {
  const parsed = parseArgs([...argv], {
    boolean: [...BOOLEANS, 'help', 'version'],
    string: ['config'],
    alias: { parallel: ['P'], help: ['h'] },
    configuration: { 'parse-positional-numbers': false, 'camel-case-expansion': false },
  });
  if (Object.keys(parsed).some((key) => !KNOWN_KEYS.has(key))) return { kind: 'needs-yargs' };
  if (parsed.readme || parsed.config === '' || Array.isArray(parsed.config)) return { kind: 'needs-yargs' };
  const words = parsed._.map(String);
  const [action, target, ...extra] = words;
  if (action === undefined || extra.length > 0) return { kind: 'needs-yargs' };
  if (!isAction(action)) {
    return target === undefined || action === 'completion' ? { kind: 'needs-yargs' } : { kind: 'unknown-action', action };
  }
  if (target === undefined && action !== 'status') return { kind: 'needs-yargs' };
  return {
    kind: 'invocation',
    invocation: {
      action,
      target,
      json: parsed.json === true,
      parallel: parsed.parallel === true,
      ...(parsed.deps === false ? { noDeps: true } : {}),
      debug: parsed.debug === true,
      configPath: typeof parsed.config === 'string' ? parsed.config : undefined,
    },
  };
}

import { type Invocation, isAction } from '@usrsvc/cli-actions';
import { GLOBAL_OPTIONS } from './options.js';

export type FastParse =
  | { kind: 'invocation'; invocation: Invocation }
  | { kind: 'unknown-action'; action: string }
  /** Help, version, readme, completion, usage errors: for the full yargs CLI. */
  | { kind: 'needs-yargs' };

/** The options as yargs-parser returns them: `_` the words, then each option given. */
export type ParsedArgs = { _: (string | number)[]; [option: string]: unknown };

const KNOWN_KEYS = new Set<string>(['_', '--']);
for (const [name, spec] of Object.entries(GLOBAL_OPTIONS)) {
  KNOWN_KEYS.add(name);
  if ('alias' in spec) KNOWN_KEYS.add(spec.alias);
}
const BOOLEANS = Object.entries(GLOBAL_OPTIONS)
  .filter(([, spec]) => spec.type === 'boolean')
  .map(([name]) => name);

/** The flags an everyday command line is made of, and what yargs-parser makes of each. */
const EVERYDAY_FLAGS: Record<string, [string, boolean][]> = {
  '--json': [['json', true]],
  '--parallel': [['parallel', true], ['P', true]],
  '-P': [['parallel', true], ['P', true]],
  '--debug': [['debug', true]],
  '--deps': [['deps', true]],
  '--no-deps': [['deps', false]],
  '--rolling': [['rolling', true]],
};

/**
 * Understands the everyday command lines (`usrsvc status NAME`, `usrsvc -P start all`...) without
 * loading a parser (yargs-parser costs ~8 ms of start-up, all of yargs ~30 ms); other command
 * lines are read by yargs-parser, and anything it cannot settle (help, completion, mistakes) goes
 * to the yargs CLI, which owns usage and error messages.
 */
export async function parseFastArgs(argv: readonly string[]): Promise<FastParse> {
  const parsed = parseEverydayArgs(argv) ?? (await parseWithYargsParser(argv));
  return invocationOf(parsed);
}

/**
 * Words, the flags above (each at most once) and `--config FILE`, read as yargs-parser reads them;
 * undefined for anything else (`--json=true`, `-Pd`, `--`, help...), which yargs-parser reads.
 */
export function parseEverydayArgs(argv: readonly string[]): ParsedArgs | undefined {
  const parsed: ParsedArgs = { _: [] };
  for (let i = 0; i < argv.length; i += 1) {
    const word = argv[i]!;
    if (!word.startsWith('-')) {
      parsed._.push(word);
      continue;
    }
    if (word === '--config') {
      const file = argv[i + 1];
      if (file === undefined || file === '' || file.startsWith('-') || 'config' in parsed) return undefined;
      parsed.config = file;
      i += 1;
      continue;
    }
    const sets = EVERYDAY_FLAGS[word];
    if (!sets || sets.some(([key]) => key in parsed)) return undefined;
    for (const [key, value] of sets) parsed[key] = value;
  }
  return parsed;
}

export async function parseWithYargsParser(argv: readonly string[]): Promise<ParsedArgs> {
  const { default: parseArgs } = await import('yargs-parser');
  return parseArgs([...argv], {
    boolean: [...BOOLEANS, 'help', 'version'],
    string: ['config'],
    alias: { parallel: ['P'], help: ['h'] },
    configuration: { 'parse-positional-numbers': false, 'camel-case-expansion': false },
  });
}

function invocationOf(parsed: ParsedArgs): FastParse {
  if (Object.keys(parsed).some((key) => !KNOWN_KEYS.has(key))) return { kind: 'needs-yargs' };
  if (parsed.readme || parsed.config === '' || Array.isArray(parsed.config)) return { kind: 'needs-yargs' };
  const words = parsed._.map(String);
  const [action, target, ...rest] = words;
  // `signal NAME SIGNAL` takes one word more than the other actions.
  const signal = action === 'signal' ? rest.shift() : undefined;
  const extra = rest;
  if (action === undefined || extra.length > 0 || (action === 'signal' && signal === undefined)) return { kind: 'needs-yargs' };
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
      ...(signal === undefined ? {} : { signal }),
      ...(parsed.group === true ? { group: true } : {}),
      ...(parsed.rolling === true ? { rolling: true } : {}),
    },
  };
}

/**
 * `instances = N`: N copies of one [Program:NAME], named NAME@0 .. NAME@N-1. The placeholders
 * `%(instance)d` and supervisord's `%(process_num)d` (with printf flags and width: `%(instance)02d`)
 * stand for the instance number in the keys below and in [[Env]] values (ready_check and env_file
 * too: a worker per port has a ready check per port).
 */
export const INSTANCE_EXPANDED_KEYS: ReadonlySet<string> = new Set([
  'command',
  'pidfile',
  'stdout',
  'stderr',
  'proctitle_re',
  'directory',
  'ready_check',
  'env_file',
]);

/** What each instance finds in its environment: its number. */
export const INSTANCE_ENV = 'USRSVC_INSTANCE';

/** Upper bound of `instances`: a typo (instances = 1000000) must not make a million programs. */
export const MAX_INSTANCES = 1000;

const INSTANCE_FIELD = /%\((?:instance|process_num)\)([-0 +]*)(\d*)d/g;

/** `text` with every instance placeholder replaced by `instance`, printf-formatted. */
export function expandInstanceFields(text: string, instance: number): string {
  if (!text.includes('%(')) return text;
  return text.replace(INSTANCE_FIELD, (_all, flags: string, width: string) => {
    let digits = String(instance);
    if (flags.includes('+')) digits = `+${digits}`;
    else if (flags.includes(' ')) digits = ` ${digits}`;
    const size = Number(width || 0);
    if (digits.length >= size) return digits;
    if (flags.includes('-')) return digits.padEnd(size);
    if (flags.includes('0')) return /^[+ ]/.test(digits) ? digits[0] + digits.slice(1).padStart(size - 1, '0') : digits.padStart(size, '0');
    return digits.padStart(size);
  });
}

/** Whether `text` changes with the instance number. */
export function hasInstanceField(text: string): boolean {
  return expandInstanceFields(text, 0) !== expandInstanceFields(text, 1);
}

/** NAME@k, the name of instance k of program NAME. */
export function instanceName(program: string, instance: number): string {
  return `${program}@${instance}`;
}

/** "web@2" as { program: "web", instance: 2 }; undefined when the text is not NAME@k. */
export function parseInstanceName(text: string): { program: string; instance: number } | undefined {
  const match = /^([^@]+)@(0|[1-9]\d*)$/.exec(text);
  return match ? { program: match[1]!, instance: Number(match[2]) } : undefined;
}

/**
 * What a name typed by a person means among `programs` (keyed by name, instances as NAME@k): the
 * program itself, or every instance of NAME in order; [] when neither exists.
 */
export function resolveProgramName<P extends { name: string; instanceOf?: string | undefined }>(
  programs: ReadonlyMap<string, P>,
  name: string,
): P[] {
  const program = programs.get(name);
  if (program) return [program];
  return [...programs.values()].filter((candidate) => candidate.instanceOf === name);
}

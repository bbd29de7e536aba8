import type { LogLine } from '@usrsvc/logs';
import type { Colors } from '@usrsvc/cli-actions';

/**
 * Labels lines when several files are shown: "web | ..." or "web stderr | ...", padded to one
 * width so the text lines up; stderr's label in red, others dim (colours only when enabled).
 */
export function makeLinePrefixer(labelled: boolean, names: string[], colors: Colors): (line: LogLine) => string {
  if (!labelled) return () => '';
  const width = Math.max(...names.map((name) => name.length)) + ' stderr'.length;
  return ({ program, stream }) => {
    const label = (stream === 'stderr' ? `${program} stderr` : program).padEnd(width);
    return `${stream === 'stderr' ? colors.red(label) : colors.dim(label)} | `;
  };
}

export interface Colors {
  enabled: boolean;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

/**
 * Colour only on a terminal, never when NO_COLOR is set (https://no-color.org), and on any
 * stream when FORCE_COLOR is set to something other than 0/false (NO_COLOR still wins).
 */
export function colorsEnabled(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  return stream.isTTY === true && env.TERM !== 'dumb';
}

export function makeColors(enabled: boolean): Colors {
  const style = (open: number, close: number) => (text: string) =>
    enabled ? `\u001b[${open}m${text}\u001b[${close}m` : text;
  return {
    enabled,
    red: style(31, 39),
    green: style(32, 39),
    yellow: style(33, 39),
    dim: style(2, 22),
    bold: style(1, 22),
  };
}

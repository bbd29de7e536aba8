/**
 * The one zombie rule: a process in state Z (zombie, not yet reaped; PID 1 reaps only every 1-2 s)
 * or X (being torn down) is dead, whatever still shows in /proc.
 */
export function isDeadState(state: string | undefined): boolean {
  return state === 'Z' || state === 'X';
}

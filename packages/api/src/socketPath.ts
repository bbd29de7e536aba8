import path from 'node:path';

/** Where usrsvcd listens: `usrsvcd.sock` in the user's 0700 state folder. */
export function apiSocketPath(stateDir: string): string {
  return path.join(stateDir, 'usrsvcd.sock');
}

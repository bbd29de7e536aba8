import fs from 'node:fs';
import { loadAddon } from './addon.js';

/*
 * The one definition of the notify socket's types: @usrsvc/launcher takes a NotifySocketFactory
 * in its LaunchContext and re-exports these.
 */

/** One sd_notify datagram and its sender, as the kernel reported it (SCM_CREDENTIALS). */
export interface NotifyDatagram {
  /** -1 when the datagram carried no credentials. */
  pid: number;
  uid: number;
  /** Full size; data holds at most the first 4096 bytes (latin1: one char per byte). */
  size: number;
  data: string;
}

export interface NotifySocket {
  readonly path: string;
  /** Whether the path still names this socket: false once another one was bound there (or it was removed). */
  bound(): boolean;
  /** Stops listening, closes the socket and removes its file (unless another socket took the path). Idempotent. */
  close(): void;
}

export type NotifySocketFactory = (path: string, onDatagram: (datagram: NotifyDatagram) => void) => NotifySocket;

/**
 * Binds sd_notify sockets (Unix datagram, SO_PASSCRED) with the native addon, or undefined when
 * it is not loaded (notifySocketUnavailable() says why). Each socket is polled on Node's event
 * loop: nothing runs while it is idle, and it never keeps the process alive by itself.
 */
export function nativeNotifySocket(): NotifySocketFactory | undefined {
  const { binding } = loadAddon();
  if (!binding) return undefined;
  return (path, onDatagram) => {
    const fd = binding.notifyBind(path);
    // A later socket may be bound at the same path (the next start): close() leaves its file alone.
    const inode = fs.statSync(path).ino;
    let closed = false;
    const drain = () => {
      for (let count = 0; count < 256 && !closed; count++) {
        const datagram = binding.notifyRecv(fd);
        if (!datagram) return;
        onDatagram({ pid: datagram.pid, uid: datagram.uid, size: datagram.size, data: datagram.data });
      }
    };
    const handle = binding.notifyWatch(fd, (status) => (status === 0 ? drain() : undefined), false);
    const bound = () => !closed && fs.statSync(path, { throwIfNoEntry: false })?.ino === inode;
    return {
      path,
      bound,
      close() {
        if (closed) return;
        closed = true;
        binding.notifyUnwatch(handle);
        fs.closeSync(fd);
        if (fs.statSync(path, { throwIfNoEntry: false })?.ino === inode) fs.rmSync(path, { force: true });
      },
    };
  };
}

/** Why nativeNotifySocket() is undefined, or undefined when it works. */
export function notifySocketUnavailable(): string | undefined {
  const state = loadAddon();
  return state.binding ? undefined : state.reason;
}

import type net from 'node:net';

interface Connection {
  timer: NodeJS.Timeout | undefined;
  /** Requests of this connection being answered (more than one only when a client pipelines). */
  answering: number;
}

/**
 * The time a connection has to deliver a whole request (headers and body) while none of its
 * requests is being answered: from its opening, and again once its last answer ended and it stays
 * open. When it runs out, `expired` is told whether part of a request came in meanwhile.
 *
 * Node's own headersTimeout/requestTimeout are enforced by one timer per server that fires every
 * 30 s (connectionsCheckingInterval) whether or not anything is connected. That timer woke an idle
 * usrsvcd twice a minute, and each wake of a process idle that long costs ~12-20 ms of CPU on these
 * VMs. These timers exist only while a connection waits for its request.
 */
export class RequestDeadlines {
  private readonly connections = new Map<net.Socket, Connection>();

  constructor(
    private readonly ms: number,
    private readonly expired: (socket: net.Socket, partialRequest: boolean) => void,
  ) {}

  /** A new connection: its deadline starts now. */
  track(socket: net.Socket): void {
    const connection: Connection = { timer: undefined, answering: 0 };
    this.connections.set(socket, connection);
    socket.once('close', () => {
      disarm(connection);
      this.connections.delete(socket);
    });
    this.arm(socket, connection);
  }

  /** A request of this connection reached its handler; `answered` must follow, once. */
  began(socket: net.Socket): void {
    const connection = this.connections.get(socket);
    if (connection) connection.answering += 1;
  }

  /** The request is all in, its body too: the connection's deadline is met. */
  received(socket: net.Socket): void {
    const connection = this.connections.get(socket);
    if (connection) disarm(connection);
  }

  /** An answer ended (or was cut off): with none left, the connection waits for a request again. */
  answered(socket: net.Socket): void {
    const connection = this.connections.get(socket);
    if (!connection) return;
    connection.answering = Math.max(0, connection.answering - 1);
    if (connection.answering === 0) this.arm(socket, connection);
  }

  private arm(socket: net.Socket, connection: Connection): void {
    disarm(connection);
    if (socket.destroyed) return;
    const bytesRead = socket.bytesRead;
    connection.timer = setTimeout(() => {
      connection.timer = undefined;
      this.expired(socket, socket.bytesRead > bytesRead);
    }, this.ms);
  }
}

function disarm(connection: Connection): void {
  clearTimeout(connection.timer);
  connection.timer = undefined;
}

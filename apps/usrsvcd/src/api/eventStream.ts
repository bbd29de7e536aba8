import type http from 'node:http';
import type { DaemonEvent, EventEnvelope } from '@usrsvc/api';
import type { EventLog } from './eventLog.js';
import { HttpError } from './routeTable.js';

export const EVENT_STREAM_LIMITS = {
  maxClients: 32,
  /** A client that does not read is dropped once this much waits for it. */
  maxBufferedBytes: 1024 * 1024,
  heartbeatMs: 15_000,
};

const format = ({ id, event }: EventEnvelope) => `id: ${id}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;

/**
 * Serves /v1/events: after Last-Event-ID, what the client missed when the log still holds it;
 * otherwise (a new client, or one too far behind) a snapshot of every program and the daemon,
 * each carrying the latest id. Then one event per state change.
 */
export class EventStreams {
  private clients = 0;

  constructor(
    private readonly log: EventLog,
    private readonly snapshot: () => DaemonEvent[],
  ) {}

  get count(): number {
    return this.clients;
  }

  open(request: http.IncomingMessage, response: http.ServerResponse, lastEventId: string | undefined): void {
    if (this.clients >= EVENT_STREAM_LIMITS.maxClients) {
      throw new HttpError(503, 'too-many-streams', `at most ${EVENT_STREAM_LIMITS.maxClients} event streams at once`);
    }
    this.clients += 1;
    request.socket.setTimeout(0);
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    const write = (text: string) => {
      if (response.writableLength > EVENT_STREAM_LIMITS.maxBufferedBytes) {
        response.destroy();
        return;
      }
      response.write(text);
    };
    const missed = lastEventId === undefined || lastEventId === '' ? undefined : this.log.since(Number(lastEventId));
    let text = 'retry: 1000\n\n';
    if (missed) {
      for (const envelope of missed) text += format(envelope);
    } else {
      const id = this.log.latestId;
      for (const event of this.snapshot()) text += format({ id, event });
    }
    write(text);
    const unsubscribe = this.log.subscribe((envelope) => write(format(envelope)));
    const heartbeat = setInterval(() => write(': keep-alive\n\n'), EVENT_STREAM_LIMITS.heartbeatMs);
    heartbeat.unref();
    let closed = false;
    response.on('close', () => {
      if (closed) return;
      closed = true;
      this.clients -= 1;
      unsubscribe();
      clearInterval(heartbeat);
    });
  }
}

import type { DaemonEvent, EventEnvelope } from '@usrsvc/api';

export type EventListener = (envelope: EventEnvelope) => void;

/**
 * The daemon's state changes with increasing ids, the last `capacity` of them kept so that a
 * client that reconnects with Last-Event-ID gets what it missed.
 */
export class EventLog {
  private readonly ring: EventEnvelope[] = [];
  private lastId = 0;
  private readonly listeners = new Set<EventListener>();

  constructor(private readonly capacity = 1024) {}

  get latestId(): number {
    return this.lastId;
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  publish(event: DaemonEvent): EventEnvelope {
    this.lastId += 1;
    const envelope = { id: this.lastId, event };
    this.ring.push(envelope);
    if (this.ring.length > this.capacity) this.ring.shift();
    for (const listener of this.listeners) listener(envelope);
    return envelope;
  }

  /** The events after `id`, or undefined when some of them are no longer kept (send a snapshot instead). */
  since(id: number): EventEnvelope[] | undefined {
    if (!Number.isInteger(id) || id < 0 || id > this.lastId) return undefined;
    if (id === this.lastId) return [];
    const oldest = this.ring[0]?.id ?? this.lastId + 1;
    if (id + 1 < oldest) return undefined;
    return this.ring.slice(id + 1 - oldest);
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

import type http from 'node:http';
import { createParser, type EventSourceMessage } from 'eventsource-parser';

/** The messages of an SSE response, in order, until it ends. */
export async function* readServerSentEvents(response: http.IncomingMessage): AsyncGenerator<EventSourceMessage> {
  const ready: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (message) => ready.push(message) });
  response.setEncoding('utf8');
  for await (const chunk of response) {
    parser.feed(chunk as string);
    while (ready.length > 0) yield ready.shift()!;
  }
}

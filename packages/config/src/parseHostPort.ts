import net from 'node:net';

export interface HostPort {
  /** An IP address or a host name, without brackets. */
  host: string;
  port: number;
}

/** Parses "HOST:PORT" ("127.0.0.1:9715", "[::1]:9715", "localhost:9715"); undefined when malformed. */
export function parseHostPort(text: string): HostPort | undefined {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]\s]+)):(\d{1,5})$/.exec(text.trim());
  if (!match) return undefined;
  const host = match[1] ?? match[2]!;
  if (match[1] !== undefined && net.isIPv6(host) === false) return undefined;
  const port = Number(match[3]);
  if (port < 1 || port > 65_535) return undefined;
  return { host, port };
}

import fs from 'node:fs';

/** Debian's nginx (nginx-light). */
export const NGINX = '/usr/sbin/nginx';

export interface NginxSite {
  /** nginx's prefix: its logs and temp folders go here (created). */
  dir: string;
  port: number;
  /** The pid directive: nginx writes its master's PID there (autopid = False). */
  pidfile: string;
  /** location -> the body it returns with 200 ("/" -> "ok\n" unless given). */
  locations?: Record<string, string>;
}

/**
 * nginx.conf for a user-level nginx on 127.0.0.1 with two workers, everything it writes below `dir`
 * (as root, its workers stay root rather than nobody, as a user's service keeps them its own).
 */
export function nginxConfig({ dir, port, pidfile, locations = { '/': 'ok\n' } }: NginxSite): string {
  fs.mkdirSync(`${dir}/tmp`, { recursive: true });
  const quoted = (body: string) => body.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
  return [
    'daemon on;',
    'worker_processes 2;',
    `pid ${pidfile};`,
    `error_log ${dir}/error.log;`,
    process.getuid?.() === 0 ? 'user root root;' : '',
    'events { worker_connections 64; }',
    'http {',
    '  access_log off;',
    ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((kind) => `  ${kind}_temp_path ${dir}/tmp/${kind};`),
    `  server { listen 127.0.0.1:${port};`,
    ...Object.entries(locations).map(([location, body]) => `    location = ${location} { return 200 "${quoted(body)}"; }`),
    '  }',
    '}',
    '',
  ].join('\n');
}

/** A WSGI module (for gunicorn's `MODULE:application`) that answers every request with 200 and `body`. */
export function wsgiApp(body = 'ok\n'): string {
  return `def application(environ, start_response):\n    start_response("200 OK", [("Content-Type", "text/plain")])\n    return [${JSON.stringify(body)}.encode()]\n`;
}

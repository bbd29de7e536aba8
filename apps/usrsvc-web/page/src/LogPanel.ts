import type { LogLine } from '@usrsvc/api';
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from './html.js';

const KEEP_LINES = 500;

/** The tail of a program's stdout and stderr, then each new line as it is written (SSE). */
export function LogPanel({ name }: { name: string }) {
  const [lines, setLines] = useState<LogLine[]>([]);
  const [notice, setNotice] = useState('connecting…');
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const source = new EventSource(`/api/programs/${encodeURIComponent(name)}/logs?stream=both&lines=50`);
    // The server sends the tail again on every (re)connection.
    source.addEventListener('open', () => setLines([]));
    source.addEventListener('notice', (event) => setNotice((JSON.parse((event as MessageEvent).data) as { message: string }).message));
    source.addEventListener('line', (event) => {
      const line = JSON.parse((event as MessageEvent).data) as LogLine;
      setLines((old) => (old.length >= KEEP_LINES ? [...old.slice(old.length - KEEP_LINES + 1), line] : [...old, line]));
    });
    source.addEventListener('error', () => setNotice(source.readyState === EventSource.CLOSED ? 'log stream closed' : 'reconnecting…'));
    return () => source.close();
  }, [name]);

  useEffect(() => {
    const element = box.current;
    if (element) element.scrollTop = element.scrollHeight;
  }, [lines]);

  return html`<div class="log-panel" data-log=${name}>
    ${notice ? html`<p class="log-notice">${notice}</p>` : null}
    <div class="log-lines" ref=${box}>
      ${lines.map((line) => html`<div class=${`log-line ${line.stream}`}>${line.line}</div>`)}
    </div>
  </div>`;
}

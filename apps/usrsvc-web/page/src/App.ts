import type { ActionResponse, DaemonView, ProgramAction, ProgramView, RereadOutcome } from '@usrsvc/api';
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { WebState } from '../../src/webState.js';
import { DaemonPanel } from './DaemonPanel.js';
import { html } from './html.js';
import { post } from './post.js';
import { type ActOutcome, ProgramRow } from './ProgramRow.js';

type Connection = 'connecting' | 'open' | 'lost' | 'unauthorized';

const COLUMNS = ['Program', 'State', 'PID', 'Uptime', 'Memory', 'Restarts', 'Last exit', 'Monitors', 'Actions'];

function upsert(state: WebState, program: ProgramView): WebState {
  const index = state.programs.findIndex((p) => p.name === program.name);
  const programs = [...state.programs];
  if (index >= 0) programs[index] = program;
  else programs.push(program);
  return { ...state, programs };
}

async function act(name: string, action: ProgramAction): Promise<ActOutcome> {
  try {
    const response = await post<ActionResponse>(`/api/programs/${encodeURIComponent(name)}/${action}`);
    const failed = response.results.filter((r) => r.code !== 0 && r.code !== 132);
    const shown = failed.length > 0 ? failed : response.results;
    return { ok: failed.length === 0, message: shown.map((r) => r.message).join('; ') || 'done' };
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
}

/** The dashboard: the daemon, then every program; everything follows /api/events (SSE). */
export function App() {
  const [state, setState] = useState<WebState | null>(null);
  const [access, setAccess] = useState('read-only');
  const [connection, setConnection] = useState<Connection>('connecting');
  const [generation, setGeneration] = useState(0);
  const [now, setNow] = useState(Date.now());
  const [confirmAll, setConfirmAll] = useState<ProgramAction | null>(null);
  const [allOutcome, setAllOutcome] = useState<ActOutcome | null>(null);
  const [rereadMessage, setRereadMessage] = useState('');

  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);

  useEffect(() => {
    const source = new EventSource('/api/events');
    const on = <T>(type: string, handle: (data: T) => void) =>
      source.addEventListener(type, (event) => handle(JSON.parse((event as MessageEvent).data) as T));
    source.addEventListener('open', () => setConnection('open'));
    on<{ access: string }>('access', (data) => setAccess(data.access));
    on<{ state: WebState }>('snapshot', (data) => setState(data.state));
    on<{ program: ProgramView }>('program', (data) => setState((old) => (old ? upsert(old, data.program) : old)));
    on<{ name: string }>('program-removed', (data) =>
      setState((old) => (old ? { ...old, programs: old.programs.filter((p) => p.name !== data.name) } : old)),
    );
    on<{ daemon: DaemonView }>('daemon', (data) => setState((old) => (old ? { ...old, daemon: data.daemon } : old)));
    let retry: ReturnType<typeof setTimeout> | undefined;
    source.addEventListener('error', () => {
      if (source.readyState !== EventSource.CLOSED) {
        setConnection('lost');
        return;
      }
      // The browser gives up on an error status: find out whether the token is missing.
      fetch('/api/state', { credentials: 'same-origin' })
        .then((response) => setConnection(response.status === 401 ? 'unauthorized' : 'lost'))
        .catch(() => setConnection('lost'));
      retry = setTimeout(() => setGeneration((g) => g + 1), 3000);
    });
    return () => {
      clearTimeout(retry);
      source.close();
    };
  }, [generation]);

  const painted = state !== null;
  useEffect(() => {
    if (painted) requestAnimationFrame(() => performance.mark('usrsvc-table-painted'));
  }, [painted]);

  const reread = useCallback(async () => {
    setRereadMessage('rereading…');
    try {
      const outcome = await post<RereadOutcome>('/api/reread');
      setRereadMessage(outcome.ok ? `ok: ${outcome.programs} programs` : `failed: ${outcome.errors.length} error(s)`);
    } catch (error) {
      setRereadMessage((error as Error).message);
    }
  }, []);

  const actAll = async (action: ProgramAction) => {
    setConfirmAll(null);
    setAllOutcome({ ok: true, message: `${action} all: working…` });
    setAllOutcome(await act('all', action));
  };

  if (connection === 'unauthorized') {
    return html`<main><h1>usrsvc</h1><p class="banner bad" id="unauthorized">Not signed in: open the address that <code>usrsvc-web url</code> prints.</p></main>`;
  }
  const canAct = access === 'admin';
  return html`<main>
    <header>
      <h1>usrsvc</h1>
      ${connection === 'lost' ? html`<p class="banner warn" id="connection">Connection to usrsvc-web lost; reconnecting…</p>` : null}
      ${access === 'read-only' ? html`<p class="banner" id="read-only">Read-only: this token shows the page without actions.</p>` : null}
    </header>
    ${
      state === null
        ? html`<p>Loading…</p>`
        : html`
      <${DaemonPanel} state=${state} now=${now} canAct=${canAct} onReread=${reread} rereadMessage=${rereadMessage} />
      ${
        canAct
          ? html`<section class="all-actions">
              ${
                confirmAll
                  ? html`<span class="confirm">${confirmAll === 'stop' ? 'Stop' : 'Restart'} every program?
                      <button class="danger confirm-yes" onClick=${() => actAll(confirmAll)}>Yes, ${confirmAll} all</button>
                      <button class="confirm-no" onClick=${() => setConfirmAll(null)}>Cancel</button></span>`
                  : html`<button class="start-all" onClick=${() => actAll('start')}>Start all</button>
                      <button class="stop-all" onClick=${() => setConfirmAll('stop')}>Stop all</button>
                      <button class="restart-all" onClick=${() => setConfirmAll('restart')}>Restart all</button>`
              }
              ${allOutcome ? html`<span class=${`outcome ${allOutcome.ok ? 'ok' : 'bad'}`}>${allOutcome.message}</span>` : null}
            </section>`
          : null
      }
      <table class="programs" id="programs">
        <thead><tr>${COLUMNS.map((c) => html`<th>${c}</th>`)}</tr></thead>
        <tbody>
          ${state.programs.map(
            (program) => html`<${ProgramRow} key=${program.name} program=${program} now=${now} canAct=${canAct} columns=${COLUMNS.length} onAct=${act} />`,
          )}
        </tbody>
      </table>
      ${state.programs.length === 0 ? html`<p class="empty">No programs configured.</p>` : null}`
    }
  </main>`;
}

import type { RereadOutcome } from '@usrsvc/api';
import type { WebState } from '../../src/webState.js';
import { duration, timeOf } from './format.js';
import { html } from './html.js';

export interface DaemonPanelProps {
  state: WebState;
  now: number;
  canAct: boolean;
  onReread(): void;
  rereadMessage: string;
}

function problemWhere(problem: { file: string; line?: number; key?: string }): string {
  return `${problem.file}${problem.line !== undefined ? `:${problem.line}` : ''}${problem.key ? ` ${problem.key}` : ''}`;
}

function Problems({ title, problems }: { title: string; problems: RereadOutcome['errors'] }) {
  if (problems.length === 0) return null;
  return html`<div class="problems"><h3>${title}</h3><ul>
    ${problems.map((p) => html`<li><code>${problemWhere(p)}</code> ${p.message}</li>`)}
  </ul></div>`;
}

/** usrsvcd's status (or that it is not running), its exit-watch mode and the last reread. */
export function DaemonPanel({ state, now, canAct, onReread, rereadMessage }: DaemonPanelProps) {
  const daemon = state.daemon;
  if (state.mode !== 'daemon' || !daemon) {
    return html`<section class="daemon down" id="daemon">
      <p class="daemon-status"><strong>usrsvcd is not running</strong>${state.daemonProblem && state.daemonProblem !== 'usrsvcd is not running' ? ` (${state.daemonProblem})` : ''}.
      Status comes from the process table, and Start, Stop and Restart go through the launcher as <code>usrsvc</code> does.
      Nothing restarts a program that dies until usrsvcd runs again; this page follows it as soon as it is back.</p>
      <${Problems} title="Configuration errors" problems=${state.configErrors} />
    </section>`;
  }
  const reread = daemon.lastReread;
  return html`<section class="daemon up" id="daemon">
    <p class="daemon-status"><strong>usrsvcd is running</strong>: pid ${daemon.pid}, version ${daemon.version},
      up ${duration((now - Date.parse(daemon.startedAt)) / 1000)}, ${daemon.user}@${daemon.host}</p>
    <p class="exit-watch">Exit watch: <strong>${daemon.exitWatch.mode}</strong>${daemon.exitWatch.reason ? ` (${daemon.exitWatch.reason})` : ''}</p>
    <p class="reread">
      ${reread ? `Last reread ${timeOf(reread.at)}: ${reread.ok ? `ok, ${reread.programs} programs` : `failed with ${reread.errors.length} error(s)`}` : 'No reread since start.'}
      ${canAct ? html` <button class="reread-button" onClick=${onReread}>Reread</button>` : null}
      ${rereadMessage ? html` <span class="reread-message">${rereadMessage}</span>` : null}
    </p>
    ${reread ? html`<${Problems} title="Reread errors" problems=${reread.errors} /><${Problems} title="Reread warnings" problems=${reread.warnings} />` : null}
  </section>`;
}

import type { ProgramAction, ProgramView } from '@usrsvc/api';
import { useState } from 'preact/hooks';
import { duration, lastExitWords, memory, stateTone, stateWords, verdictWords } from './format.js';
import { html } from './html.js';
import { LogPanel } from './LogPanel.js';

export interface ActOutcome {
  ok: boolean;
  message: string;
}

export interface ProgramRowProps {
  program: ProgramView;
  now: number;
  canAct: boolean;
  columns: number;
  onAct(name: string, action: ProgramAction): Promise<ActOutcome>;
}

/** One program: its state in colour and words, its process, its last exit and monitors, its actions and logs. */
export function ProgramRow({ program, now, canAct, columns, onAct }: ProgramRowProps) {
  const [confirming, setConfirming] = useState<ProgramAction | null>(null);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<ActOutcome | null>(null);
  const [showLogs, setShowLogs] = useState(false);
  const { state, process } = program;
  const uptime = process ? Math.max(0, (now - Date.parse(process.startTime)) / 1000) : null;
  // A program just launched has its PID before it has run for success_seconds.
  const pid = process?.pid ?? (state.state === 'starting' ? state.pid : undefined);

  const act = async (action: ProgramAction) => {
    setConfirming(null);
    setBusy(true);
    setOutcome(await onAct(program.name, action));
    setBusy(false);
  };
  const ask = (action: ProgramAction) => (action === 'start' ? act(action) : setConfirming(action));
  const restarts = program.restartCounts;

  return html`
    <tr class="program" data-program=${program.name} data-state=${state.state}>
      <td class="name" data-label="Program">${program.name}
        ${program.instance ? html`<div class="instance-of">one of ${program.instance.instances} instances of ${program.instance.program}</div>` : null}
        ${program.dependsOn?.length ? html`<div class="depends-on">needs ${program.dependsOn.join(', ')}</div>` : null}
        ${program.readiness?.status ? html`<div class="notify-status" title="the program's last sd_notify STATUS">${program.readiness.status}</div>` : null}
        ${program.readiness?.waitingFor ? html`<div class="waiting-for">${program.readiness.waitingFor}</div>` : null}
      </td>
      <td class="state" data-label="State"><span class=${`badge ${stateTone(program)}`}>${stateWords(program, now)}</span></td>
      <td class="pid" data-label="PID">${pid === undefined ? '—' : String(pid)}</td>
      <td class="uptime" data-label="Uptime">${uptime === null ? '—' : duration(uptime)}</td>
      <td class="memory" data-label="Memory">${process ? memory(process.rssKb) : '—'}</td>
      <td class="restarts" data-label="Restarts" title=${`since usrsvcd started: crash ${restarts.crash}, monitor ${restarts.monitor}, watchdog ${restarts.watchdog ?? 0}, manual ${restarts.manual}, change ${restarts.change ?? 0}`}>
        ${String(program.restarts)}
        ${program.maxRestarts > 0 ? html`<div class="attempts">attempt ${program.startAttempts} of ${program.maxRestarts}</div>` : null}
      </td>
      <td class="last-exit" data-label="Last exit">${program.lastExit ? lastExitWords(program.lastExit) : '—'}</td>
      <td class="monitors" data-label="Monitors">
        ${program.monitors.length === 0 ? '—' : program.monitors.map((m) => html`<div class=${`verdict ${m.verdict}`}>${verdictWords(m)}</div>`)}
      </td>
      <td class="actions" data-label="Actions">
        ${
          canAct
            ? confirming
              ? html`<span class="confirm">${confirming === 'stop' ? 'Stop' : 'Restart'} ${program.name}?
                  <button class="danger confirm-yes" onClick=${() => act(confirming)}>Yes, ${confirming}</button>
                  <button class="confirm-no" onClick=${() => setConfirming(null)}>Cancel</button></span>`
              : html`<button class="start" disabled=${busy} onClick=${() => ask('start')}>Start</button>
                  <button class="stop" disabled=${busy} onClick=${() => ask('stop')}>Stop</button>
                  <button class="restart" disabled=${busy} onClick=${() => ask('restart')}>Restart</button>`
            : null
        }
        <button class="logs-toggle" aria-expanded=${showLogs} onClick=${() => setShowLogs(!showLogs)}>${showLogs ? 'Hide logs' : 'Logs'}</button>
        ${busy ? html`<div class="outcome">working…</div>` : outcome ? html`<div class=${`outcome ${outcome.ok ? 'ok' : 'bad'}`}>${outcome.message}</div>` : null}
      </td>
    </tr>
    ${showLogs ? html`<tr class="logs-row"><td colspan=${columns}><${LogPanel} name=${program.name} /></td></tr>` : null}
  `;
}

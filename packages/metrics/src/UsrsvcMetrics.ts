import { Counter, Gauge, Registry } from 'prom-client';
import { MonotonicCounter } from './MonotonicCounter.js';
import { isProgramUp, METRIC_STATES, metricStateOf } from './programStateMetric.js';
import type { ProgramView } from '@usrsvc/api';
import type { MetricsSnapshot } from './types.js';

const RESTART_REASONS = ['crash', 'monitor', 'watchdog', 'manual', 'change'] as const;

interface SeenProgram {
  fingerprint: string;
  monitors: string[];
}

/** Everything of a view the metrics show (the state's timestamps and the process's uptime are left out). */
function fingerprintOf(view: ProgramView): string {
  const counts = view.restartCounts;
  let text = `${metricStateOf(view)} ${RESTART_REASONS.map((reason) => counts[reason] ?? 0).join(' ')}`;
  if (view.process) text += ` ${view.process.startTime} ${view.process.rssKb}`;
  if (view.readiness) text += ` ready=${view.readiness.ready}`;
  for (const verdict of view.monitors) text += ` ${verdict.monitor}=${verdict.verdict}:${verdict.durationMs}`;
  return text;
}

/**
 * usrsvcd's metrics in a prom-client Registry of their own (never the global one, so nothing else
 * in the process leaks into them). Gauges are rebuilt from each snapshot; counters only grow.
 */
export class UsrsvcMetrics {
  readonly registry = new Registry();
  private readonly up: Gauge<'program' | 'user'>;
  private readonly ready: Gauge<'program' | 'user'>;
  private readonly state: Gauge<'program' | 'user' | 'state'>;
  private readonly restarts: MonotonicCounter<'program' | 'user' | 'reason'>;
  private readonly startTime: Gauge<'program' | 'user'>;
  private readonly residentMemory: Gauge<'program' | 'user'>;
  private readonly checkSuccess: Gauge<'program' | 'user' | 'monitor'>;
  private readonly checkDuration: Gauge<'program' | 'user' | 'monitor'>;
  private readonly alertsSent: MonotonicCounter<'user' | 'transport'>;
  private readonly alertsFailed: MonotonicCounter<'user' | 'transport'>;
  private readonly daemonStartTime: Gauge<'user'>;
  private readonly buildInfo: Gauge<'user' | 'version' | 'exit_watch'>;
  private readonly gauges: Gauge<string>[];
  /** What the last update wrote for each program, so that an unchanged program costs nothing. */
  private readonly seen = new Map<string, SeenProgram>();
  private daemonKey = '';
  /** The last rendered text, while no update has changed anything since. */
  private rendered: Promise<string> | undefined;

  constructor() {
    const registers = [this.registry];
    const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
      new Gauge<L>({ name, help, labelNames, registers });
    const counter = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
      new MonotonicCounter(new Counter<L>({ name, help, labelNames, registers }));
    const program = ['program', 'user'] as const;
    const monitor = ['program', 'user', 'monitor'] as const;
    this.up = gauge('usrsvc_program_up', '1 when the program is running, else 0.', program);
    this.ready = gauge('usrsvc_program_ready', '1 when the program runs and passed its ready_check (or has none), else 0.', program);
    this.state = gauge(
      'usrsvc_program_state',
      `The program's state: 1 for the current one (${METRIC_STATES.join(', ')}), 0 for the others.`,
      ['program', 'user', 'state'],
    );
    this.restarts = counter('usrsvc_program_restarts_total', 'Restarts usrsvcd performed, by reason (crash, monitor, watchdog, manual).', [
      'program',
      'user',
      'reason',
    ]);
    this.startTime = gauge('usrsvc_program_start_time_seconds', "Start time of the program's running process, in seconds since the epoch.", program);
    this.residentMemory = gauge('usrsvc_program_resident_memory_bytes', "Resident memory of the program's main process, in bytes.", program);
    this.checkSuccess = gauge('usrsvc_monitor_check_success', "1 when the monitor's last check passed, else 0.", monitor);
    this.checkDuration = gauge('usrsvc_monitor_check_duration_seconds', "How long the monitor's last check took, in seconds.", monitor);
    this.alertsSent = counter('usrsvc_alerts_sent_total', 'Alerts delivered, by transport.', ['user', 'transport']);
    this.alertsFailed = counter('usrsvc_alerts_failed_total', 'Alerts given up on after every retry, by transport.', ['user', 'transport']);
    this.daemonStartTime = gauge('usrsvc_daemon_start_time_seconds', 'Start time of usrsvcd, in seconds since the epoch.', ['user']);
    this.buildInfo = gauge('usrsvc_build_info', "usrsvcd's version and how it watches for exits (pidfd or poll); always 1.", [
      'user',
      'version',
      'exit_watch',
    ]);
    this.gauges = [this.up, this.ready, this.state, this.startTime, this.residentMemory, this.checkSuccess, this.checkDuration, this.daemonStartTime, this.buildInfo];
  }

  /**
   * Replaces what the metrics show with this snapshot (synchronous; render() reads the result).
   * Only programs whose view changed since the last update are written again. Returns true when
   * anything the metrics show changed (else render() answers with the text it rendered last).
   */
  update(snapshot: MetricsSnapshot): boolean {
    let changed = false;
    const { daemon } = snapshot;
    const user = daemon.user;
    const daemonKey = JSON.stringify([user, daemon.version, daemon.exitWatch.mode, daemon.startedAt]);
    if (daemonKey !== this.daemonKey) {
      for (const gauge of this.gauges) gauge.reset();
      this.seen.clear();
      this.daemonKey = daemonKey;
      changed = true;
      this.daemonStartTime.set({ user }, seconds(daemon.startedAt));
      this.buildInfo.set({ user, version: daemon.version, exit_watch: daemon.exitWatch.mode }, 1);
    }

    const names = new Set<string>();
    for (const view of snapshot.programs) {
      names.add(view.name);
      const fingerprint = fingerprintOf(view);
      const before = this.seen.get(view.name);
      if (before?.fingerprint === fingerprint) continue;
      changed = true;
      if (before) this.removeProgramGauges(view.name, user, before);
      this.seen.set(view.name, { fingerprint, monitors: view.monitors.map((verdict) => verdict.monitor) });
      this.setProgram(view, user);
    }
    for (const [name, before] of this.seen) {
      if (names.has(name)) continue;
      changed = true;
      this.removeProgramGauges(name, user, before);
      for (const state of METRIC_STATES) this.state.remove({ program: name, user, state });
      this.up.remove({ program: name, user });
      this.ready.remove({ program: name, user });
      this.seen.delete(name);
    }
    if (this.restarts.retain((labels) => names.has(labels.program) && labels.user === user)) changed = true;

    for (const [transport, counts] of Object.entries(snapshot.alerts ?? {})) {
      if (this.alertsSent.observe({ user, transport }, counts.sent)) changed = true;
      if (this.alertsFailed.observe({ user, transport }, counts.failed)) changed = true;
    }
    if (changed) this.rendered = undefined;
    return changed;
  }

  private setProgram(view: ProgramView, user: string): void {
    const program = view.name;
    this.up.set({ program, user }, isProgramUp(view) ? 1 : 0);
    this.ready.set({ program, user }, isProgramUp(view) && view.readiness?.ready !== false ? 1 : 0);
    const current = metricStateOf(view);
    for (const state of METRIC_STATES) this.state.set({ program, user, state }, state === current ? 1 : 0);
    for (const reason of RESTART_REASONS) this.restarts.observe({ program, user, reason }, view.restartCounts[reason] ?? 0);
    if (view.process) {
      this.startTime.set({ program, user }, seconds(view.process.startTime));
      this.residentMemory.set({ program, user }, view.process.rssKb * 1024);
    }
    for (const verdict of view.monitors) {
      const labels = { program, user, monitor: verdict.monitor };
      this.checkSuccess.set(labels, verdict.verdict === 'ok' ? 1 : 0);
      this.checkDuration.set(labels, verdict.durationMs / 1000);
    }
  }

  /** The series that exist only sometimes (a running process, a monitor that has checked). */
  private removeProgramGauges(program: string, user: string, before: SeenProgram): void {
    this.startTime.remove({ program, user });
    this.residentMemory.remove({ program, user });
    for (const monitor of before.monitors) {
      this.checkSuccess.remove({ program, user, monitor });
      this.checkDuration.remove({ program, user, monitor });
    }
  }

  /** The Prometheus text exposition format (version 0.0.4); the same string again while nothing changed. */
  render(): Promise<string> {
    this.rendered ??= this.registry.metrics();
    return this.rendered;
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

/** The exposition text of one snapshot (a fresh registry: counters are the snapshot's totals). */
export function renderMetrics(snapshot: MetricsSnapshot): Promise<string> {
  const metrics = new UsrsvcMetrics();
  metrics.update(snapshot);
  return metrics.render();
}

function seconds(iso: string): number {
  return Date.parse(iso) / 1000;
}

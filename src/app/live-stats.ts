/**
 * Live metrics: an EventSink in front of the event log that watches every business event on its way to the
 * log and keeps what a wallboard and Prometheus need (docs/reports.md, "Live metrics"):
 *
 * - counters since start, per queue: calls that entered (offered), answered, abandoned, left the queue
 *   otherwise, RONAs;
 * - histograms of the wait (answered and abandoned calls) and of ring-to-answer;
 * - service level, abandon rate, ASA and ring time over a rolling window (15 min by default) with the
 *   report's definitions, from the Clock port's time;
 * - from a provider the application passes in: callers waiting and longest wait per queue, agents by state.
 *
 * Everything lives in its own prom-client Registry (never the global one), so two engines in one process,
 * or tests, do not share metrics.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { HotlineEvent } from '../domain/metrics/events.js';
import { addCounts, emptyCounts, RollingOutcomes, withFigures, type WindowFigures } from '../domain/metrics/rolling-window.js';
import type { Clock } from '../ports/clock.js';
import type { EventSink } from '../ports/event-sink.js';
import type { AcdStore } from '../ports/store.js';

/** What only the application knows right now (the store's queues and agents). */
export interface LiveSnapshot {
  queues: Array<{ id: string; waiting: number; longestWaitSec: number }>;
  agentsByState: Record<string, number>;
}

export type LiveSnapshotProvider = () => LiveSnapshot | Promise<LiveSnapshot>;

export interface LiveStatsOptions {
  clock: Clock;
  /** Threshold of the windowed service level (default 20 s). */
  slThresholdSec?: number;
  /** Window of the `hotline_service_level_ratio` gauges (default 15 min). */
  windowSec?: number;
  /** Longest window /api/stats may ask for (default 24 h). */
  maxWindowSec?: number;
  provider?: LiveSnapshotProvider;
  /** Also export Node's process metrics (CPU, memory, event-loop lag) with the `hotline_` prefix. */
  processMetrics?: boolean;
  /** Told when an event cannot be counted (a defect); the event still reaches the log. */
  onError?: (err: unknown, event: HotlineEvent) => void;
}

/** Wait buckets (s): around the usual 20 s threshold and the minutes callers give up in. */
export const WAIT_BUCKETS_SEC = [5, 10, 15, 20, 30, 45, 60, 90, 120, 180, 300, 600];
/** Ring-to-answer buckets (s): phones are answered in seconds, RONA comes at the queue's ring timeout. */
export const RING_BUCKETS_SEC = [1, 2, 3, 5, 8, 10, 15, 20, 30];

export interface QueueStats {
  id: string;
  waiting: number | null;
  longestWaitSec: number | null;
  /** Since the engine started. */
  sinceStart: { offered: number; answered: number; abandoned: number; exited: number; rona: number };
  /** Over the window (outcomes in it). */
  window: WindowFigures;
}

export interface LiveStatsJson {
  time: string;
  windowSec: number;
  slThresholdSec: number;
  slFormula: 'offered';
  queues: QueueStats[];
  /** Window figures of all queues together. */
  total: WindowFigures;
  agentsByState: Record<string, number>;
}

interface SinceStart {
  offered: number;
  answered: number;
  abandoned: number;
  exited: number;
  rona: number;
}

export class LiveStats implements EventSink {
  readonly registry = new Registry();
  readonly slThresholdSec: number;
  readonly windowSec: number;
  readonly maxWindowSec: number;
  private provider: LiveSnapshotProvider | undefined;
  private readonly onError: LiveStatsOptions['onError'];
  private readonly clock: Clock;
  private readonly window: RollingOutcomes;
  private readonly since = new Map<string, SinceStart>();
  private readonly offered: Counter<'queue'>;
  private readonly answered: Counter<'queue'>;
  private readonly abandoned: Counter<'queue'>;
  private readonly exited: Counter<'queue' | 'reason'>;
  private readonly rona: Counter<'queue'>;
  private readonly waitSec: Histogram<'queue' | 'outcome'>;
  private readonly ringSec: Histogram<'queue'>;
  private readonly waiting: Gauge<'queue'>;
  private readonly longestWait: Gauge<'queue'>;
  private readonly agents: Gauge<'state'>;
  private readonly serviceLevel: Gauge<'queue' | 'window'>;
  private readonly abandonRate: Gauge<'queue' | 'window'>;

  constructor(
    private readonly inner: EventSink,
    opts: LiveStatsOptions,
  ) {
    this.clock = opts.clock;
    this.slThresholdSec = opts.slThresholdSec ?? 20;
    this.windowSec = opts.windowSec ?? 900;
    this.maxWindowSec = opts.maxWindowSec ?? 86_400;
    this.provider = opts.provider;
    this.onError = opts.onError;
    this.window = new RollingOutcomes({ slThresholdSec: this.slThresholdSec, maxWindowMs: this.maxWindowSec * 1000 });
    const registers = [this.registry];
    this.offered = new Counter({ name: 'hotline_calls_offered_total', help: 'Calls that entered the queue', labelNames: ['queue'], registers });
    this.answered = new Counter({ name: 'hotline_calls_answered_total', help: 'Queued calls answered by an agent', labelNames: ['queue'], registers });
    this.abandoned = new Counter({ name: 'hotline_calls_abandoned_total', help: 'Callers who hung up while queued', labelNames: ['queue'], registers });
    this.exited = new Counter({ name: 'hotline_queue_exits_total', help: 'Callers who left the queue otherwise (timeout, key, empty, withdraw)', labelNames: ['queue', 'reason'], registers });
    this.rona = new Counter({ name: 'hotline_rona_total', help: 'Offers to agents that rang without an answer (RONA)', labelNames: ['queue'], registers });
    this.waitSec = new Histogram({ name: 'hotline_queue_wait_seconds', help: 'Time in queue of answered and abandoned calls', labelNames: ['queue', 'outcome'], buckets: WAIT_BUCKETS_SEC, registers });
    this.ringSec = new Histogram({ name: 'hotline_ring_to_answer_seconds', help: "Ring time before the agent's answer", labelNames: ['queue'], buckets: RING_BUCKETS_SEC, registers });
    this.waiting = new Gauge({ name: 'hotline_queue_callers_waiting', help: 'Callers waiting in the queue now', labelNames: ['queue'], registers });
    this.longestWait = new Gauge({ name: 'hotline_queue_longest_wait_seconds', help: 'Wait of the longest-waiting caller now', labelNames: ['queue'], registers });
    this.agents = new Gauge({ name: 'hotline_agents', help: 'Agents by state now', labelNames: ['state'], registers });
    this.serviceLevel = new Gauge({ name: 'hotline_service_level_ratio', help: `Answered within ${this.slThresholdSec} s / offered, over the rolling window`, labelNames: ['queue', 'window'], registers });
    this.abandonRate = new Gauge({ name: 'hotline_abandon_rate_ratio', help: 'Abandoned / offered, over the rolling window', labelNames: ['queue', 'window'], registers });
    if (opts.processMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'hotline_' });
  }

  /** The application's view of waiting callers and agents (set once it is built). */
  setProvider(provider: LiveSnapshotProvider): void {
    this.provider = provider;
  }

  append(event: HotlineEvent): void {
    try {
      this.observe(event);
    } catch (err) {
      // Live figures are a convenience; the event log is the record and must get every event.
      this.onError?.(err, event);
    }
    this.inner.append(event);
  }

  flush(): Promise<void> {
    return this.inner.flush();
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  /** Prometheus text exposition of every metric, live gauges refreshed from the provider. */
  async metrics(): Promise<string> {
    await this.refreshGauges();
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The same figures as JSON, over a window of `windowSec` (≤ maxWindowSec). */
  async stats(windowSec: number = this.windowSec): Promise<LiveStatsJson> {
    const now = this.clock.nowMs();
    const windowMs = Math.min(windowSec, this.maxWindowSec) * 1000;
    const live = await this.snapshot();
    const liveById = new Map(live.queues.map((q) => [q.id, q]));
    const ids = [...new Set([...this.since.keys(), ...this.window.queueIds(), ...liveById.keys()])].sort();
    const total = emptyCounts();
    const queues = ids.map((id): QueueStats => {
      const window = this.window.figures(id, now, windowMs);
      addCounts(total, window);
      const l = liveById.get(id);
      return { id, waiting: l?.waiting ?? null, longestWaitSec: l?.longestWaitSec ?? null, sinceStart: { ...(this.since.get(id) ?? emptySince()) }, window };
    });
    return {
      time: new Date(now).toISOString(),
      windowSec: windowMs / 1000,
      slThresholdSec: this.slThresholdSec,
      slFormula: 'offered',
      queues,
      total: withFigures(total),
      agentsByState: live.agentsByState,
    };
  }

  private observe(ev: HotlineEvent): void {
    switch (ev.type) {
      case 'queue.joined':
        this.offered.inc({ queue: ev.queueId });
        this.sinceOf(ev.queueId).offered++;
        break;
      case 'call.answered':
        this.answered.inc({ queue: ev.queueId });
        this.sinceOf(ev.queueId).answered++;
        this.waitSec.observe({ queue: ev.queueId, outcome: 'answered' }, ev.waitMs / 1000);
        this.ringSec.observe({ queue: ev.queueId }, ev.ringMs / 1000);
        this.window.answered(ev.queueId, ev.ts, ev.waitMs, ev.ringMs);
        break;
      case 'call.abandoned':
        this.abandoned.inc({ queue: ev.queueId });
        this.sinceOf(ev.queueId).abandoned++;
        this.waitSec.observe({ queue: ev.queueId, outcome: 'abandoned' }, ev.waitMs / 1000);
        this.window.abandoned(ev.queueId, ev.ts, ev.waitMs);
        break;
      case 'queue.exited':
        this.exited.inc({ queue: ev.queueId, reason: ev.reason });
        this.sinceOf(ev.queueId).exited++;
        this.window.exited(ev.queueId, ev.ts);
        break;
      case 'agent.rona':
        this.rona.inc({ queue: ev.queueId });
        this.sinceOf(ev.queueId).rona++;
        this.window.rona(ev.queueId, ev.ts);
        break;
      default:
        break;
    }
  }

  private async snapshot(): Promise<LiveSnapshot> {
    return this.provider ? await this.provider() : { queues: [], agentsByState: {} };
  }

  private async refreshGauges(): Promise<void> {
    const live = await this.snapshot();
    this.waiting.reset();
    this.longestWait.reset();
    for (const q of live.queues) {
      this.waiting.set({ queue: q.id }, q.waiting);
      this.longestWait.set({ queue: q.id }, q.longestWaitSec);
    }
    this.agents.reset();
    for (const [state, n] of Object.entries(live.agentsByState)) this.agents.set({ state }, n);
    // Ratios only where the window has offered calls: an empty window has no service level (not 0, not 1).
    this.serviceLevel.reset();
    this.abandonRate.reset();
    const now = this.clock.nowMs();
    const label = windowLabel(this.windowSec);
    for (const id of this.window.queueIds()) {
      const f = this.window.figures(id, now, this.windowSec * 1000);
      if (f.offered === 0) continue;
      this.serviceLevel.set({ queue: id, window: label }, f.answeredWithin / f.offered);
      this.abandonRate.set({ queue: id, window: label }, f.abandoned / f.offered);
    }
  }

  private sinceOf(queueId: string): SinceStart {
    let s = this.since.get(queueId);
    if (!s) {
      s = emptySince();
      this.since.set(queueId, s);
    }
    return s;
  }
}

/**
 * The provider the composition root passes to LiveStats: callers waiting and the longest wait per
 * configured queue, and agents by state, read from the store (so every engine sharing a store agrees).
 */
export function storeSnapshotProvider(deps: { store: Pick<AcdStore, 'listWaiting' | 'listAgents'>; clock: Clock; queueIds: Iterable<string> }): LiveSnapshotProvider {
  const queueIds = [...deps.queueIds];
  return async () => {
    const now = deps.clock.nowMs();
    const [waiting, agents] = await Promise.all([deps.store.listWaiting(), deps.store.listAgents()]);
    const queues = queueIds.map((id) => {
      let count = 0;
      let longestMs = 0;
      for (const c of waiting) {
        if (c.queueId !== id) continue;
        count++;
        longestMs = Math.max(longestMs, now - c.joinedAtMs);
      }
      return { id, waiting: count, longestWaitSec: Math.round(longestMs / 100) / 10 };
    });
    const agentsByState: Record<string, number> = {};
    for (const a of agents) agentsByState[a.state.name] = (agentsByState[a.state.name] ?? 0) + 1;
    return { queues, agentsByState };
  };
}

function emptySince(): SinceStart {
  return { offered: 0, answered: 0, abandoned: 0, exited: 0, rona: 0 };
}

/** 900 → "15m", 3600 → "1h", 45 → "45s". */
export function windowLabel(sec: number): string {
  if (sec % 3600 === 0) return `${sec / 3600}h`;
  if (sec % 60 === 0) return `${sec / 60}m`;
  return `${sec}s`;
}

/** Parses "15m", "1h", "90s" or a number of seconds; undefined when it is none of these. */
export function parseWindow(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(s|m|h)?$/.exec(text.trim());
  if (!m) return undefined;
  const sec = Number(m[1]) * (m[2] === 'h' ? 3600 : m[2] === 'm' ? 60 : 1);
  return Number.isFinite(sec) && sec > 0 ? sec : undefined;
}

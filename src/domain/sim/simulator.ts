/**
 * One replication of the discrete-event simulation. It drives the real ACD core (domain/acd/core) — the same
 * router, queue rules and tables as the engine — on a simulated time line, in place of SIP: agents answer
 * the instant they are rung, talk for a drawn handle time, and wrap up per the queue; callers arrive by a
 * Poisson process and hang up after a drawn patience unless answered first. Metrics are folded from the
 * core's own business events, as the report does from the event log.
 */
import { AcdCore } from '../acd/core/acd-core.js';
import type { AcdCommand, AcdInput } from '../acd/core/types.js';
import type { AgentConfig } from '../acd/model.js';
import type { EventDraft } from '../metrics/events.js';
import { EventQueue } from './event-queue.js';
import { zeroCounters, type Counters, type HandleTime, type ReplicationResult, type SimModel, type SimTraffic } from './model.js';
import { Rng } from './rng.js';

type SimEvent =
  | { kind: 'arrival'; traffic: number }
  | { kind: 'patience'; callId: string }
  | { kind: 'answer'; callId: string; agentId: string }
  | { kind: 'hangup-agent'; callId: string; agentId: string }
  | { kind: 'login'; agentId: string; registered: boolean };

const HOUR_MS = 3_600_000;
/** Simulated time starts at a fixed instant so runs are reproducible; its value does not matter. */
const START_MS = Date.UTC(2026, 0, 5, 0, 0, 0);
/** After the horizon, calls still in the system are followed this long at most. */
const DRAIN_MS = 6 * HOUR_MS;

const BUSY = new Set(['reserved', 'ringing', 'on-call', 'wrap-up']);
const STAFFED_OUT = new Set(['logged-out', 'not-ready']);

export function runReplication(model: SimModel, seed: number): ReplicationResult {
  return new Replication(model, seed).run();
}

class Replication {
  private readonly rng: Rng;
  private readonly core: AcdCore;
  private readonly events = new EventQueue<SimEvent>();
  private readonly measureFromMs: number;
  private readonly horizonMs: number;
  private now = START_MS;
  private seq = 0;
  /** Calls in the system: arrival time, measured or not, traffic. */
  private readonly calls = new Map<string, { arrivedMs: number; measured: boolean; traffic: SimTraffic }>();
  private readonly agentState = new Map<string, { name: string; sinceMs: number }>();
  private readonly r: ReplicationResult = { ...zeroCounters(), queues: {}, busyMs: 0, staffedMs: 0 };

  constructor(private readonly model: SimModel, seed: number) {
    this.rng = new Rng(seed);
    const agents = new Map<string, AgentConfig>(model.agents.map((a) => [a.id, { id: a.id, name: a.id, skills: a.skills, readyOnRegister: true, groups: a.groups ?? [] }]));
    this.core = new AcdCore({ queues: model.queues, agents, startMs: START_MS, random: () => this.rng.next(), canDial: false, writeThrough: false });
    this.measureFromMs = START_MS + model.warmupHours * HOUR_MS;
    this.horizonMs = this.measureFromMs + model.hours * HOUR_MS;
  }

  run(): ReplicationResult {
    const m = this.model;
    for (const a of m.agents) {
      this.agentState.set(a.id, { name: 'logged-out', sinceMs: START_MS });
      for (const s of a.shifts ?? [{ fromHour: 0, toHour: Infinity }]) {
        this.events.push(START_MS + s.fromHour * HOUR_MS, { kind: 'login', agentId: a.id, registered: true });
        if (Number.isFinite(s.toHour)) this.events.push(START_MS + s.toHour * HOUR_MS, { kind: 'login', agentId: a.id, registered: false });
      }
    }
    m.traffic.forEach((_t, i) => this.scheduleArrival(i, START_MS));
    const endMs = this.horizonMs + DRAIN_MS;
    for (;;) {
      const nextEvent = this.events.peekMs();
      const nextDeadline = this.core.nextDeadlineMs();
      if (nextEvent === undefined && nextDeadline === undefined) break;
      const t = Math.min(nextEvent ?? Infinity, nextDeadline ?? Infinity);
      // Past the horizon nothing arrives; stop once no measured call is left in the system.
      if (t > endMs || (t > this.horizonMs && !this.measuredOpen())) break;
      this.now = t;
      if (nextDeadline !== undefined && nextDeadline <= (nextEvent ?? Infinity)) this.input({ kind: 'tick' });
      else this.fire(this.events.pop()!.item);
    }
    this.closeAgentTime();
    return this.r;
  }

  private measuredOpen(): boolean {
    for (const c of this.calls.values()) if (c.measured) return true;
    return false;
  }

  private scheduleArrival(i: number, fromMs: number): void {
    const t = this.model.traffic[i] as SimTraffic;
    const hour = Math.floor((fromMs - START_MS) / HOUR_MS);
    const rates = typeof t.arrivalsPerHour === 'number' ? [t.arrivalsPerHour] : t.arrivalsPerHour;
    const rate = rates[Math.min(hour, rates.length - 1)] ?? 0;
    if (rate <= 0) {
      // Nothing this hour: look again at the next hour boundary.
      const next = START_MS + (hour + 1) * HOUR_MS;
      if (next < this.horizonMs) this.events.push(next, { kind: 'arrival', traffic: -1 - i });
      return;
    }
    const at = fromMs + this.rng.exponential(HOUR_MS / rate);
    const hourEnd = START_MS + (hour + 1) * HOUR_MS;
    if (rates.length > 1 && at >= hourEnd && hour + 1 < rates.length) {
      // Memoryless: restart the draw at the hour boundary with the next hour's rate.
      if (hourEnd < this.horizonMs) this.events.push(hourEnd, { kind: 'arrival', traffic: -1 - i });
      return;
    }
    if (at < this.horizonMs) this.events.push(at, { kind: 'arrival', traffic: i });
  }

  private fire(e: SimEvent): void {
    switch (e.kind) {
      case 'arrival':
        if (e.traffic < 0) return this.scheduleArrival(-1 - e.traffic, this.now);
        this.arrive(e.traffic);
        return this.scheduleArrival(e.traffic, this.now);
      case 'patience':
        if (this.calls.has(e.callId)) this.input({ kind: 'caller-hangs-up', callId: e.callId });
        return;
      case 'answer':
        this.input({ kind: 'ring-answered', callId: e.callId, agentId: e.agentId });
        return;
      case 'hangup-agent':
        this.input({ kind: 'call-ended', callId: e.callId, agentId: e.agentId });
        return;
      case 'login':
        this.input({ kind: 'registration', agentId: e.agentId, registered: e.registered });
        return;
    }
  }

  private arrive(i: number): void {
    const t = this.model.traffic[i] as SimTraffic;
    const callId = `s${this.seq++}`;
    const measured = this.now >= this.measureFromMs && this.now < this.horizonMs;
    this.calls.set(callId, { arrivedMs: this.now, measured, traffic: t });
    const callerClass = this.drawClass(t);
    const cmds = this.input({
      kind: 'caller-joins',
      callId,
      queueId: t.queueId,
      callerNumber: `1${String(this.seq).padStart(10, '0')}`,
      priority: 0,
      ...(callerClass ? { attrs: { callerClass } } : {}),
    });
    if (measured) {
      const waited = !cmds.some((c) => c.kind === 'ring' && c.callId === callId);
      this.count(t, (k) => {
        k.offered += 1;
        if (waited) k.waited += 1;
      });
    }
    if (t.patienceSec !== undefined && this.calls.has(callId)) this.events.push(this.now + this.rng.exponential(t.patienceSec * 1000), { kind: 'patience', callId });
  }

  private drawClass(t: SimTraffic): string | undefined {
    if (!t.callerClasses) return undefined;
    let u = this.rng.next();
    for (const [cls, share] of Object.entries(t.callerClasses)) {
      if (u < share) return cls;
      u -= share;
    }
    return undefined;
  }

  private input(input: AcdInput): AcdCommand[] {
    const { commands } = this.core.handle(input, this.now);
    for (const cmd of commands) this.execute(cmd);
    return commands;
  }

  private execute(cmd: AcdCommand): void {
    switch (cmd.kind) {
      case 'ring':
        this.events.push(this.now, { kind: 'answer', callId: cmd.callId, agentId: cmd.agentId });
        return;
      case 'bridge': {
        const call = this.calls.get(cmd.callId);
        this.calls.delete(cmd.callId);
        const handle = call ? this.draw(call.traffic.handle) : 0;
        this.events.push(this.now + handle, { kind: 'hangup-agent', callId: cmd.callId, agentId: cmd.agentId });
        return;
      }
      case 'leave':
      case 'end-call':
        this.calls.delete(cmd.callId);
        return;
      case 'emit':
        this.fold(cmd.event);
        return;
      case 'fault':
        throw new Error(`ACD core fault in simulation: ${cmd.message} ${JSON.stringify(cmd.detail)}`);
      default:
        return; // media, persistence: nothing to simulate
    }
  }

  private draw(h: HandleTime): number {
    const ms = h.meanSec * 1000;
    return h.distribution === 'lognormal' ? this.rng.lognormal(ms, (h.sdSec ?? h.meanSec) * 1000) : this.rng.exponential(ms);
  }

  private fold(e: EventDraft): void {
    switch (e.type) {
      case 'call.answered': {
        const call = this.calls.get(e.callId); // removed at its bridge, which follows
        if (!call?.measured) return;
        const within = e.waitMs <= this.model.slThresholdSec * 1000;
        this.count(call.traffic, (k) => {
          k.answered += 1;
          k.answeredWaitMs += e.waitMs;
          if (within) k.answeredWithin += 1;
        });
        return;
      }
      case 'call.abandoned': {
        const call = this.calls.get(e.callId);
        this.calls.delete(e.callId);
        if (call?.measured) this.count(call.traffic, (k) => (k.abandoned += 1));
        return;
      }
      case 'queue.exited': {
        if (e.action === 'queue') return;
        const call = this.calls.get(e.callId);
        if (call?.measured) this.count(call.traffic, (k) => (k.exited += 1));
        return;
      }
      case 'agent.state-changed':
        this.agentTime(e.agentId, e.to);
        return;
      default:
        return;
    }
  }

  /** Counts an outcome overall and for the queue the call arrived at. */
  private count(t: SimTraffic, f: (k: Counters) => void): void {
    f(this.r);
    f((this.r.queues[t.queueId] ??= zeroCounters()));
  }

  /** Accumulates busy and staffed agent time inside the measured window. */
  private agentTime(agentId: string, to: string): void {
    const s = this.agentState.get(agentId);
    if (!s) return;
    this.account(s, this.now);
    s.name = to;
    s.sinceMs = this.now;
  }

  private account(s: { name: string; sinceMs: number }, untilMs: number): void {
    const from = Math.max(s.sinceMs, this.measureFromMs);
    const to = Math.min(untilMs, this.horizonMs);
    if (to <= from) return;
    if (BUSY.has(s.name)) this.r.busyMs += to - from;
    if (!STAFFED_OUT.has(s.name)) this.r.staffedMs += to - from;
  }

  private closeAgentTime(): void {
    for (const s of this.agentState.values()) this.account(s, this.horizonMs);
  }
}

/** The ACD core's state and the helpers every part of it uses (time, commands, timers, counters). */
import { AgentIndex } from '../agent-index.js';
import { CallerIndex } from '../caller-index.js';
import { Deadlines, type Deadline } from '../deadlines.js';
import { HandleTimes } from '../ewt.js';
import { resolveQueues, type AgentConfig, type QueueConfig, type ResolvedQueue } from '../model.js';
import { servesQueue } from '../skills.js';
import { StickyMemory } from '../sticky.js';
import type { EventDraft } from '../../metrics/events.js';
import type { AcdCommand, CoreAgent, CoreCaller } from './types.js';

export interface CoreOptions {
  queues: ReadonlyMap<string, QueueConfig>;
  /** In configuration order (the default member order of queues). */
  agents: ReadonlyMap<string, AgentConfig>;
  startMs: number;
  /** Uniform [0, 1) source for the random strategy; seeded in the simulator. */
  random?: () => number;
  /** Whether the telephony can place outbound calls (callbacks are only offered then). */
  canDial?: boolean;
  /** Emit save-agent / save-caller / remember-agent commands for a store (default true; the simulator has none). */
  writeThrough?: boolean;
}

export class CoreState {
  readonly queues: ReadonlyMap<string, ResolvedQueue>;
  readonly agents = new Map<string, CoreAgent>();
  readonly callers = new Map<string, CoreCaller>();
  readonly agentIndex: AgentIndex;
  readonly callerIndex = new CallerIndex();
  readonly deadlines = new Deadlines();
  readonly handleTimes = new Map<string, HandleTimes>();
  /** queue → members logged in (any state but logged-out) / staffed (in the call-work cycle). */
  readonly loggedIn = new Map<string, number>();
  readonly staffed = new Map<string, number>();
  readonly sticky = new StickyMemory();
  /** round-robin: rank of the member offered last, per queue. */
  readonly rrCursor = new Map<string, number>();
  readonly pendingAgents = new Set<string>();
  readonly pendingCallers = new Set<string>();
  /** Queues whose logged-in count fell to zero since the last dispatch (leave-when-empty). */
  readonly emptied = new Set<string>();
  /** Callers whose store record changed during this input. */
  readonly dirtyCallers = new Set<string>();
  readonly random: () => number;
  readonly canDial: boolean;
  readonly writeThrough: boolean;
  out: AcdCommand[] = [];
  now: number;
  private seq = 0;

  constructor(opts: CoreOptions) {
    this.queues = resolveQueues(opts.queues);
    this.now = opts.startMs;
    this.random = opts.random ?? Math.random;
    this.canDial = opts.canDial ?? false;
    this.writeThrough = opts.writeThrough ?? true;
    this.agentIndex = new AgentIndex(opts.agents, this.queues);
    for (const q of this.queues.values()) {
      this.handleTimes.set(q.id, new HandleTimes(q.expectedHandleSec));
      this.loggedIn.set(q.id, 0);
      this.staffed.set(q.id, 0);
    }
    let num = 0;
    for (const cfg of opts.agents.values()) {
      const memberOf = [...this.queues.values()].filter((q) => servesQueue(cfg, q)).map((q) => q.id);
      this.agents.set(cfg.id, {
        cfg,
        num: num++,
        memberOf,
        rec: { id: cfg.id, state: { name: 'logged-out', sinceMs: opts.startMs }, registered: false, idleSinceMs: opts.startMs, callsAnswered: 0, talkMs: 0, version: 0 },
      });
    }
  }

  nextSeq(): number {
    return this.seq++;
  }

  emit(event: EventDraft): void {
    this.out.push({ kind: 'emit', event });
  }

  command(cmd: AcdCommand): void {
    this.out.push(cmd);
  }

  /** A store write, when the host keeps a store. */
  write(cmd: Extract<AcdCommand, { kind: 'save-agent' | 'save-caller' | 'remove-caller' | 'remember-agent' }>): void {
    if (this.writeThrough) this.out.push(cmd);
  }

  fault(message: string, detail: Record<string, unknown>): void {
    this.out.push({ kind: 'fault', message, detail });
  }

  /** Sets (or replaces) a caller's named timer. */
  callerTimer(c: CoreCaller, name: string, atMs: number, fire: (nowMs: number) => void): void {
    this.deadlines.cancel(c.timers.get(name));
    const d: Deadline = this.deadlines.add(atMs, (now) => {
      if (c.timers.get(name) === d) c.timers.delete(name);
      fire(now);
    });
    c.timers.set(name, d);
  }

  clearCallerTimers(c: CoreCaller, keep: (name: string) => boolean = () => false): void {
    for (const [name, d] of c.timers) {
      if (keep(name)) continue;
      this.deadlines.cancel(d);
      c.timers.delete(name);
    }
  }

  queueWaitMs(c: CoreCaller): number {
    return this.now - c.queueEnteredAtMs;
  }
}

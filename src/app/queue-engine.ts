/**
 * Hosts the ACD core on the engine's clock: feeds it inputs one at a time, wakes it at its next deadline,
 * writes its records through to the store (in order), emits its business events, logs its faults, and hands
 * telephony commands (ring, bridge, play, dial …) to the AcdService. Inputs that arrive while a batch of
 * commands is being carried out (a ring that fails at once) are queued and applied right after, in order.
 */
import type { Logger } from 'pino';
import { AcdCore } from '../domain/acd/core/acd-core.js';
import type { AcdCommand, AcdInput } from '../domain/acd/core/types.js';
import type { AgentConfig, AgentRecord, QueueConfig } from '../domain/acd/model.js';
import type { Result } from '../domain/shared/errors.js';
import type { Clock, TimerHandle } from '../ports/clock.js';
import type { AcdStore } from '../ports/store.js';
import type { Emit } from './events.js';

export type TelephonyCommand = Exclude<AcdCommand, { kind: 'emit' | 'save-agent' | 'save-caller' | 'remove-caller' | 'remember-agent' | 'fault' }>;

export interface QueueEngineDeps {
  clock: Clock;
  emit: Emit;
  logger: Logger;
  store: AcdStore;
  agents: ReadonlyMap<string, AgentConfig>;
}

const MAX_TIMER_MS = 3_600_000;

/** How long a returning caller is remembered at most (sticky agent), for warming the memory at start-up. */
const STICKY_HORIZON_MS = 90 * 86_400_000;

export class QueueEngine {
  private core: AcdCore | undefined;
  private queues: ReadonlyMap<string, QueueConfig> = new Map();
  private canDial = false;
  private telephony: (cmd: TelephonyCommand) => void = () => undefined;
  private timer: TimerHandle | undefined;
  private timerAtMs: number | undefined;
  private busy = false;
  private readonly backlog: AcdInput[] = [];
  private writes: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(private readonly deps: QueueEngineDeps) {}

  /** Set by the AcdService before the first input: the queues and what to do with telephony commands. */
  configure(queues: ReadonlyMap<string, QueueConfig>, canDial: boolean, telephony: (cmd: TelephonyCommand) => void): void {
    if (this.core) throw new Error('QueueEngine.configure() after the core started');
    this.queues = queues;
    this.canDial = canDial;
    this.telephony = telephony;
  }

  /** The core (created on first use, with the configured queues). */
  get acd(): AcdCore {
    this.core ??= new AcdCore({ queues: this.queues, agents: this.deps.agents, startMs: this.deps.clock.nowMs(), canDial: this.canDial });
    return this.core;
  }

  /** Warms the sticky-agent memory from the store; then writes every agent's record. */
  async start(): Promise<void> {
    const now = this.deps.clock.nowMs();
    for (const r of await this.deps.store.recentAgents(now - STICKY_HORIZON_MS)) this.acd.remember(r.callerNumber, r.agentId, r.atMs);
    for (const a of this.acd.agents()) this.persist({ kind: 'save-agent', record: a });
    await this.writes;
  }

  /** Applies an input now. Returns the core's answer for agent requests (undefined when queued behind a batch). */
  handle(input: AcdInput): Result<AgentRecord> | undefined {
    if (this.closed) return undefined;
    if (this.busy) {
      this.backlog.push(input);
      return undefined;
    }
    this.busy = true;
    try {
      const out = this.acd.handle(input, this.deps.clock.nowMs());
      this.run(out.commands);
      for (let next = this.backlog.shift(); next && !this.closed; next = this.backlog.shift()) {
        this.run(this.acd.handle(next, this.deps.clock.nowMs()).commands);
      }
      return out.result;
    } finally {
      this.busy = false;
      this.arm();
    }
  }

  /** Resolves when every store write issued so far is done. */
  async flushed(): Promise<void> {
    await this.writes;
  }

  close(): void {
    this.closed = true;
    this.timer?.cancel();
    this.timer = undefined;
  }

  private run(commands: readonly AcdCommand[]): void {
    for (const cmd of commands) {
      switch (cmd.kind) {
        case 'emit':
          this.deps.emit(cmd.event);
          break;
        case 'fault':
          this.deps.logger.error({ ...cmd.detail }, `ACD core: ${cmd.message}`);
          break;
        case 'save-agent':
        case 'save-caller':
        case 'remove-caller':
        case 'remember-agent':
          this.persist(cmd);
          break;
        default:
          try {
            this.telephony(cmd);
          } catch (err) {
            this.deps.logger.error({ err, command: cmd.kind, callId: 'callId' in cmd ? cmd.callId : undefined }, 'ACD command failed');
          }
      }
    }
  }

  private persist(cmd: Extract<AcdCommand, { kind: 'save-agent' | 'save-caller' | 'remove-caller' | 'remember-agent' }>): void {
    const { store } = this.deps;
    const write = (): Promise<void> => {
      switch (cmd.kind) {
        case 'save-agent':
          return store.saveAgent(cmd.record);
        case 'save-caller':
          return store.saveCaller(cmd.entry);
        case 'remove-caller':
          return store.removeCaller(cmd.callId);
        case 'remember-agent':
          return store.rememberAgent({ callerNumber: cmd.callerNumber, agentId: cmd.agentId, atMs: cmd.atMs });
      }
    };
    this.writes = this.writes.then(write).catch((err: unknown) => this.deps.logger.error({ err, op: cmd.kind }, 'ACD store write failed'));
  }

  /** One timer, for the core's next deadline. */
  private arm(): void {
    if (this.closed || !this.core) return;
    const next = this.core.nextDeadlineMs();
    if (next === this.timerAtMs) return;
    this.timer?.cancel();
    this.timer = undefined;
    this.timerAtMs = next;
    if (next === undefined) return;
    // Capped: a far deadline (a callback expiring in days) is reached by re-arming, never by one huge timer.
    this.timer = this.deps.clock.setTimer(Math.min(MAX_TIMER_MS, Math.max(0, next - this.deps.clock.nowMs())), () => {
      this.timer = undefined;
      this.timerAtMs = undefined;
      this.handle({ kind: 'tick' });
    });
  }
}

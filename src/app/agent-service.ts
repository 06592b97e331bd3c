/**
 * Agent presence and state: applies the agent state table through the store, follows SIP registration, runs
 * wrap-up timers, and serves the API's state requests. Emits agent.state-changed for every change.
 */
import type { Logger } from 'pino';
import { transitionAgent, type AgentEvent, type AgentState } from '../domain/acd/agent-state.js';
import type { AgentConfig, AgentRecord } from '../domain/acd/model.js';
import { ErrorCodes, fail, ok, type Result } from '../domain/shared/errors.js';
import type { Clock, TimerHandle } from '../ports/clock.js';
import type { Registrar, RegistrationChange } from '../ports/registrar.js';
import type { AcdStore } from '../ports/store.js';
import type { Emit } from './events.js';

export type AgentRequest = { state: 'ready' } | { state: 'not-ready'; reason: string } | { state: 'logged-out' };

const MAX_CAS_RETRIES = 5;

export class AgentService {
  private readonly wrapupTimers = new Map<string, { timer: TimerHandle; callId: string; startedMs: number }>();
  private onAvailable: () => void = () => {};

  constructor(
    private readonly deps: {
      store: AcdStore;
      clock: Clock;
      emit: Emit;
      logger: Logger;
      agents: ReadonlyMap<string, AgentConfig>;
      registrar: Registrar;
    },
  ) {}

  /** Creates the configured agents in the store and follows registrations. `onAvailable` triggers routing. */
  async start(onAvailable: () => void): Promise<void> {
    this.onAvailable = onAvailable;
    const now = this.deps.clock.nowMs();
    for (const id of this.deps.agents.keys()) {
      await this.deps.store.ensureAgent({
        id,
        state: { name: 'logged-out', sinceMs: now },
        registered: false,
        idleSinceMs: now,
        callsAnswered: 0,
        version: 0,
      });
    }
    this.deps.registrar.onChange((change) => {
      this.onRegistration(change).catch((err: unknown) => this.deps.logger.error({ err, agentId: change.agentId }, 'registration handling failed'));
    });
  }

  config(agentId: string): AgentConfig | undefined {
    return this.deps.agents.get(agentId);
  }

  /**
   * Applies one event to an agent, retrying on concurrent writes. Returns the new record, or the error when the
   * transition is illegal (logged: an illegal transition is a defect somewhere, never silently ignored).
   */
  async apply(agentId: string, event: AgentEvent, patch: (r: AgentRecord) => Partial<AgentRecord> = () => ({})): Promise<Result<AgentRecord>> {
    for (let attempt = 0; attempt < MAX_CAS_RETRIES; attempt += 1) {
      const current = await this.deps.store.getAgent(agentId);
      if (!current) return fail(ErrorCodes.AGENT_NOT_FOUND, `no agent "${agentId}"`);
      const now = this.deps.clock.nowMs();
      const next = transitionAgent(current.state, event, now);
      if (!next.ok) {
        this.deps.logger.warn({ agentId, state: current.state.name, event: event.kind, code: next.error.code }, next.error.message);
        return next;
      }
      const becameAvailable = next.value.name === 'available' && current.state.name !== 'available';
      const candidate: AgentRecord = {
        ...current,
        ...patch(current),
        state: next.value,
        idleSinceMs: becameAvailable ? now : current.idleSinceMs,
      };
      const stored = await this.deps.store.updateAgent(candidate, current.version);
      if (!stored) continue;
      this.afterChange(current.state, stored);
      return ok(stored);
    }
    return fail(ErrorCodes.AGENT_STATE_CONFLICT, `agent "${agentId}" changed concurrently; try again`);
  }

  /** Records a change that happened elsewhere (the store's atomic reservation) in the event log. */
  noteChange(before: AgentState, after: AgentRecord): void {
    this.afterChange(before, after);
  }

  /** The agent finished (or lost) a call: wrap-up for the queue's time, then available. */
  async callEnded(agentId: string, callId: string, wrapupMs: number): Promise<void> {
    const res = await this.apply(agentId, { kind: 'call-ended', wrapupMs }, (r) => ({ callsAnswered: r.callsAnswered + 1 }));
    if (!res.ok || res.value.state.name !== 'wrap-up') return;
    const startedMs = this.deps.clock.nowMs();
    const timer = this.deps.clock.setTimer(wrapupMs, () => {
      this.wrapupTimers.delete(agentId);
      this.endWrapup(agentId, callId, startedMs, { kind: 'wrapup-done' }).catch((err: unknown) =>
        this.deps.logger.error({ err, agentId, callId }, 'wrap-up end failed'),
      );
    });
    this.wrapupTimers.set(agentId, { timer, callId, startedMs });
  }

  /** A state request from the API (or a supervisor). */
  async request(agentId: string, req: AgentRequest): Promise<Result<AgentRecord>> {
    const agent = await this.deps.store.getAgent(agentId);
    if (!agent) return fail(ErrorCodes.AGENT_NOT_FOUND, `no agent "${agentId}" in config/agents.yaml`);
    if (req.state === 'ready' && !agent.registered) {
      return fail(ErrorCodes.AGENT_NOT_REGISTERED, `agent "${agentId}" has no registered phone; register the softphone first`);
    }
    const event: AgentEvent =
      req.state === 'ready' ? { kind: 'ready' } : req.state === 'not-ready' ? { kind: 'not-ready', reason: req.reason } : { kind: 'logout', reason: 'api' };
    const wrapup = this.wrapupTimers.get(agentId);
    if (wrapup && agent.state.name === 'wrap-up') {
      wrapup.timer.cancel();
      this.wrapupTimers.delete(agentId);
      return this.endWrapup(agentId, wrapup.callId, wrapup.startedMs, event);
    }
    return this.apply(agentId, event);
  }

  async list(): Promise<AgentRecord[]> {
    return this.deps.store.listAgents();
  }

  close(): void {
    for (const w of this.wrapupTimers.values()) w.timer.cancel();
    this.wrapupTimers.clear();
  }

  private async endWrapup(agentId: string, callId: string, startedMs: number, event: AgentEvent): Promise<Result<AgentRecord>> {
    const res = await this.apply(agentId, event);
    if (res.ok) {
      this.deps.emit({ type: 'agent.wrapup-ended', agentId, callId, wrapupMs: this.deps.clock.nowMs() - startedMs });
    }
    return res;
  }

  private async onRegistration(change: RegistrationChange): Promise<void> {
    const { agentId } = change;
    const cfg = this.deps.agents.get(agentId);
    if (!cfg) return;
    if (change.contact) {
      const agent = await this.deps.store.getAgent(agentId);
      if (!agent) return;
      if (!agent.registered) {
        const stored = await this.deps.store.updateAgent({ ...agent, registered: true }, agent.version);
        if (!stored) return this.onRegistration(change);
      }
      if (cfg.readyOnRegister && agent.state.name === 'logged-out') await this.apply(agentId, { kind: 'ready' });
      this.onAvailable();
      return;
    }
    await this.apply(agentId, { kind: 'registration-lost' }, () => ({ registered: false }));
  }

  private afterChange(before: AgentState, after: AgentRecord): void {
    const s = after.state;
    if (before.name === s.name && before.reason === s.reason) return;
    this.deps.emit({
      type: 'agent.state-changed',
      agentId: after.id,
      from: before.name,
      to: s.name,
      ...(s.reason ? { reason: s.reason } : {}),
      ...(s.callId ? { callId: s.callId } : before.callId ? { callId: before.callId } : {}),
    });
    this.deps.logger.info({ agentId: after.id, from: before.name, to: s.name, reason: s.reason, callId: s.callId ?? before.callId }, 'agent state');
    if (s.name === 'available') this.onAvailable();
  }
}

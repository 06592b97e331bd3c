/**
 * Agent presence and state for the rest of the app: follows SIP registration, serves the API's state and
 * disposition requests, and lets other use cases (flow transfers) drive the agent table. Every change goes
 * through the ACD core (queue-engine.ts), which owns agent state, so queue routing and everything else see one
 * truth; the store holds its written-through record.
 */
import type { Logger } from 'pino';
import type { AgentEvent, AgentState } from '../domain/acd/agent-state.js';
import type { AgentRequest as CoreAgentRequest } from '../domain/acd/core/types.js';
import type { AgentConfig, AgentRecord } from '../domain/acd/model.js';
import { ErrorCodes, fail, type Result } from '../domain/shared/errors.js';
import type { Clock } from '../ports/clock.js';
import type { Registrar, RegistrationChange } from '../ports/registrar.js';
import type { AcdStore } from '../ports/store.js';
import type { Emit } from './events.js';
import { QueueEngine } from './queue-engine.js';

export type AgentRequest = CoreAgentRequest;

export interface AgentServiceDeps {
  store: AcdStore;
  clock: Clock;
  emit: Emit;
  logger: Logger;
  agents: ReadonlyMap<string, AgentConfig>;
  registrar: Registrar;
}

export class AgentService {
  /** The ACD core host, shared with the AcdService (which configures its queues). */
  readonly engine: QueueEngine;

  constructor(private readonly deps: AgentServiceDeps) {
    this.engine = new QueueEngine({ clock: deps.clock, emit: deps.emit, logger: deps.logger, store: deps.store, agents: deps.agents });
  }

  /**
   * Writes the agents' records, then follows registrations. `onAvailable` is kept for callers of the walking
   * skeleton; the core routes by itself whenever an agent comes free.
   */
  async start(_onAvailable?: () => void): Promise<void> {
    await this.engine.start();
    this.deps.registrar.onChange((change) => this.onRegistration(change));
    for (const id of this.deps.agents.keys()) {
      if (this.deps.registrar.contactOf(id)) this.engine.handle({ kind: 'registration', agentId: id, registered: true });
    }
  }

  config(agentId: string): AgentConfig | undefined {
    return this.deps.agents.get(agentId);
  }

  /** Applies one agent-table event (flow transfers: reserve, ring, answer, cancelled …). */
  async apply(agentId: string, event: AgentEvent, _patch?: (r: AgentRecord) => Partial<AgentRecord>): Promise<Result<AgentRecord>> {
    return this.engine.handle({ kind: 'agent-event', agentId, event }) ?? busy(agentId);
  }

  /** Kept for the walking skeleton's callers: the core records its changes itself. */
  noteChange(_before: AgentState, _after: AgentRecord): void {}

  /** A call outside the queues (a transfer) ended: wrap-up for `wrapupMs`, then available. */
  async callEnded(agentId: string, callId: string, wrapupMs: number): Promise<void> {
    const res = this.engine.handle({ kind: 'call-ended', agentId, callId, wrapupMs });
    if (res && !res.ok) this.deps.logger.warn({ agentId, callId, code: res.error.code }, res.error.message);
  }

  /** A state request from the API (or a supervisor): ready, not-ready with a configured reason, logged-out. */
  async request(agentId: string, req: AgentRequest): Promise<Result<AgentRecord>> {
    return this.engine.handle({ kind: 'agent-request', agentId, request: req }) ?? busy(agentId);
  }

  /** A disposition code on the agent's current call; `ready` also ends its wrap-up. */
  async disposition(agentId: string, code: string, opts: { callId?: string; ready?: boolean } = {}): Promise<Result<AgentRecord>> {
    const res = this.engine.handle({ kind: 'disposition', agentId, code, ...(opts.callId ? { callId: opts.callId } : {}), ...(opts.ready ? { ready: true } : {}) });
    return res ?? busy(agentId);
  }

  /** Every not-ready reason any agent may give (config/agents.yaml notReadyReasons). */
  notReadyReasons(): string[] {
    return [...new Set([...this.deps.agents.values()].flatMap((a) => a.notReadyReasons ?? []))];
  }

  async list(): Promise<AgentRecord[]> {
    return this.engine.acd.agents();
  }

  close(): void {
    this.engine.close();
  }

  private onRegistration(change: RegistrationChange): void {
    if (!this.deps.agents.has(change.agentId)) return;
    this.engine.handle({ kind: 'registration', agentId: change.agentId, registered: change.contact !== null });
  }
}

function busy(agentId: string): Result<AgentRecord> {
  return fail(ErrorCodes.AGENT_STATE_CONFLICT, `agent "${agentId}" is changing state; try again`);
}

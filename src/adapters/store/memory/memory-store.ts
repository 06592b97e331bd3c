/** In-memory AcdStore for one engine process. Every operation completes in one synchronous step, so each is atomic. */
import { transitionAgent } from '../../../domain/acd/agent-state.js';
import type { AgentRecord, QueueEntry } from '../../../domain/acd/model.js';
import type { AcdStore } from '../../../ports/store.js';

const copy = <T>(value: T): T => structuredClone(value);

export class MemoryStore implements AcdStore {
  private readonly agents = new Map<string, AgentRecord>();
  private readonly callers = new Map<string, QueueEntry>();
  private seq = 0;
  /** Arrival order, so listWaiting is stable without sorting on every read. */
  private readonly order = new Map<string, number>();

  async ensureAgent(initial: AgentRecord): Promise<AgentRecord> {
    const existing = this.agents.get(initial.id);
    if (existing) return copy(existing);
    this.agents.set(initial.id, copy(initial));
    return copy(initial);
  }

  async getAgent(agentId: string): Promise<AgentRecord | undefined> {
    const a = this.agents.get(agentId);
    return a ? copy(a) : undefined;
  }

  async listAgents(): Promise<AgentRecord[]> {
    return [...this.agents.values()].map(copy);
  }

  async updateAgent(next: AgentRecord, expectedVersion: number): Promise<AgentRecord | undefined> {
    const current = this.agents.get(next.id);
    if (!current || current.version !== expectedVersion) return undefined;
    const stored = { ...copy(next), version: expectedVersion + 1 };
    this.agents.set(next.id, stored);
    return copy(stored);
  }

  async reserveAgent(agentId: string, callId: string, nowMs: number): Promise<AgentRecord | undefined> {
    const agent = this.agents.get(agentId);
    const caller = this.callers.get(callId);
    if (!agent || !caller || !agent.registered || agent.state.name !== 'available' || caller.offeredTo) return undefined;
    const next = transitionAgent(agent.state, { kind: 'reserve', callId }, nowMs);
    if (!next.ok) return undefined;
    const stored: AgentRecord = { ...agent, state: next.value, version: agent.version + 1 };
    this.agents.set(agentId, stored);
    this.callers.set(callId, { ...caller, offeredTo: agentId, offerAttempts: caller.offerAttempts + 1 });
    return copy(stored);
  }

  async enqueueCaller(entry: QueueEntry): Promise<number> {
    this.callers.set(entry.callId, copy(entry));
    this.order.set(entry.callId, this.seq++);
    let position = 0;
    for (const c of this.callers.values()) {
      if (c.queueId === entry.queueId && (c.priority > entry.priority || (c.priority === entry.priority && c.joinedAtMs <= entry.joinedAtMs))) {
        position += 1;
      }
    }
    return position;
  }

  async getCaller(callId: string): Promise<QueueEntry | undefined> {
    const c = this.callers.get(callId);
    return c ? copy(c) : undefined;
  }

  async releaseCaller(callId: string, excludeAgent?: string): Promise<QueueEntry | undefined> {
    const c = this.callers.get(callId);
    if (!c) return undefined;
    const excluded = excludeAgent && !c.excludedAgents.includes(excludeAgent) ? [...c.excludedAgents, excludeAgent] : c.excludedAgents;
    const next: QueueEntry = { ...c, excludedAgents: excluded };
    delete next.offeredTo;
    this.callers.set(callId, next);
    return copy(next);
  }

  async dequeueCaller(callId: string): Promise<QueueEntry | undefined> {
    const c = this.callers.get(callId);
    this.callers.delete(callId);
    this.order.delete(callId);
    return c;
  }

  async listWaiting(queueId?: string): Promise<QueueEntry[]> {
    const all = [...this.callers.values()].filter((c) => queueId === undefined || c.queueId === queueId);
    return all.sort((a, b) => (this.order.get(a.callId) ?? 0) - (this.order.get(b.callId) ?? 0)).map(copy);
  }

  async close(): Promise<void> {
    this.agents.clear();
    this.callers.clear();
  }
}

/** In-memory AcdStore for one engine process. Every operation completes in one synchronous step, so each is atomic. */
import type { AgentRecord, QueueEntry } from '../../../domain/acd/model.js';
import type { AcdStore, StickyRecord } from '../../../ports/store.js';

const copy = <T>(value: T): T => structuredClone(value);

export class MemoryStore implements AcdStore {
  private readonly agents = new Map<string, AgentRecord>();
  /** Insertion order is first-save order (re-saving keeps the place), so listWaiting needs no sort. */
  private readonly callers = new Map<string, QueueEntry>();
  private readonly sticky = new Map<string, StickyRecord>();

  async saveAgent(record: AgentRecord): Promise<void> {
    this.agents.set(record.id, copy(record));
  }

  async getAgent(agentId: string): Promise<AgentRecord | undefined> {
    const a = this.agents.get(agentId);
    return a ? copy(a) : undefined;
  }

  async listAgents(): Promise<AgentRecord[]> {
    return [...this.agents.values()].map(copy);
  }

  async saveCaller(entry: QueueEntry): Promise<void> {
    this.callers.set(entry.callId, copy(entry));
  }

  async removeCaller(callId: string): Promise<void> {
    this.callers.delete(callId);
  }

  async getCaller(callId: string): Promise<QueueEntry | undefined> {
    const c = this.callers.get(callId);
    return c ? copy(c) : undefined;
  }

  async listWaiting(queueId?: string): Promise<QueueEntry[]> {
    return [...this.callers.values()].filter((c) => queueId === undefined || c.queueId === queueId).map(copy);
  }

  async rememberAgent(record: StickyRecord): Promise<void> {
    this.sticky.delete(record.callerNumber);
    this.sticky.set(record.callerNumber, { ...record });
  }

  async recentAgents(sinceMs: number): Promise<StickyRecord[]> {
    return [...this.sticky.values()].filter((r) => r.atMs >= sinceMs).map((r) => ({ ...r }));
  }

  async close(): Promise<void> {
    this.agents.clear();
    this.callers.clear();
    this.sticky.clear();
  }
}

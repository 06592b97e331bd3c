/**
 * The ACD state store port. The ACD core (domain/acd/core) is the single writer of queue and agent state; the
 * store is its durable, shareable record, read by the API and by other processes, and written through these
 * domain-shaped operations. Each is atomic on its own: one record and its index entries change together (in
 * Redis: one MULTI or one Lua script per operation, e.g. HSET hotline:caller:<id> + ZADD hotline:queue:<q>).
 * Writes are applied in the order they are issued.
 */
import type { AgentRecord, QueueEntry } from '../domain/acd/model.js';

export interface StickyRecord {
  callerNumber: string;
  agentId: string;
  atMs: number;
}

export interface AcdStore {
  /** Writes an agent's record (state, registration, counters) as the core has it now. */
  saveAgent(record: AgentRecord): Promise<void>;
  getAgent(agentId: string): Promise<AgentRecord | undefined>;
  listAgents(): Promise<AgentRecord[]>;
  /** Writes a caller holding a place in a queue (new, or changed: state, queue, offers). */
  saveCaller(entry: QueueEntry): Promise<void>;
  /** The caller left its queue (answered, abandoned, exited). */
  removeCaller(callId: string): Promise<void>;
  getCaller(callId: string): Promise<QueueEntry | undefined>;
  /** Callers holding a place, in the order they were first saved. */
  listWaiting(queueId?: string): Promise<QueueEntry[]>;
  /** Sticky agent memory: the agent who last served a caller number. */
  rememberAgent(record: StickyRecord): Promise<void>;
  /** Every remembered caller number served since `sinceMs`, to warm the core's memory at start-up. */
  recentAgents(sinceMs: number): Promise<StickyRecord[]>;
  close(): Promise<void>;
}

/**
 * The state store port, shaped by ACD operations rather than get/set, so that a shared backend (Redis, one Lua
 * script per multi-key change) can make each of them atomic across engine instances.
 */
import type { AgentRecord, QueueEntry } from '../domain/acd/model.js';

export interface AcdStore {
  /** Creates the agent if unknown (logged out); leaves an existing one untouched. */
  ensureAgent(initial: AgentRecord): Promise<AgentRecord>;
  getAgent(agentId: string): Promise<AgentRecord | undefined>;
  listAgents(): Promise<AgentRecord[]>;
  /** Compare-and-set on `version`: writes `next` (with version + 1) only if the stored version is `expectedVersion`. */
  updateAgent(next: AgentRecord, expectedVersion: number): Promise<AgentRecord | undefined>;
  /**
   * Atomically: the agent is available and registered → reserved for `callId`, and the caller is waiting and not
   * offered → offered to the agent. Either both happen or neither; undefined when the race was lost.
   */
  reserveAgent(agentId: string, callId: string, nowMs: number): Promise<AgentRecord | undefined>;
  /** Adds a caller to a queue; returns its 1-based position. */
  enqueueCaller(entry: QueueEntry): Promise<number>;
  getCaller(callId: string): Promise<QueueEntry | undefined>;
  /** The offer to this caller ended without an answer: it waits again, `excludeAgent` not to be offered again. */
  releaseCaller(callId: string, excludeAgent?: string): Promise<QueueEntry | undefined>;
  /** Removes a caller (answered, abandoned, or exited); returns what was removed. */
  dequeueCaller(callId: string): Promise<QueueEntry | undefined>;
  listWaiting(queueId?: string): Promise<QueueEntry[]>;
  close(): Promise<void>;
}

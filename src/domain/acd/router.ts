/**
 * Routing decisions, pure. Given who waits and who is free, choose the next (caller, agent) pairs.
 * Callers are served by priority (higher first), then by arrival (FIFO); for each, the longest-idle
 * eligible agent is chosen. An agent is eligible when available, registered, holding every skill the queue
 * requires, and not excluded for this caller (declined it before).
 */
import type { AgentConfig, AgentRecord, QueueConfig, QueueEntry } from './model.js';

export interface Match {
  callId: string;
  queueId: string;
  agentId: string;
}

export function compareCallers(a: QueueEntry, b: QueueEntry): number {
  return b.priority - a.priority || a.joinedAtMs - b.joinedAtMs || (a.callId < b.callId ? -1 : a.callId > b.callId ? 1 : 0);
}

export function agentServesQueue(agent: AgentConfig, queue: QueueConfig): boolean {
  return queue.requiredSkills.every((skill) => (agent.skills[skill] ?? 0) > 0);
}

/** Plans matches for every waiting, un-offered caller; each agent is used at most once. */
export function planMatches(
  waiting: readonly QueueEntry[],
  agents: readonly AgentRecord[],
  agentConfigs: ReadonlyMap<string, AgentConfig>,
  queues: ReadonlyMap<string, QueueConfig>,
): Match[] {
  const free = agents
    .filter((a) => a.state.name === 'available' && a.registered)
    .sort((a, b) => a.idleSinceMs - b.idleSinceMs || (a.id < b.id ? -1 : 1));
  const taken = new Set<string>();
  const matches: Match[] = [];
  for (const caller of [...waiting].filter((c) => !c.offeredTo).sort(compareCallers)) {
    const queue = queues.get(caller.queueId);
    if (!queue) continue;
    const agent = free.find((a) => {
      if (taken.has(a.id) || caller.excludedAgents.includes(a.id)) return false;
      const cfg = agentConfigs.get(a.id);
      return cfg !== undefined && agentServesQueue(cfg, queue);
    });
    if (!agent) continue;
    taken.add(agent.id);
    matches.push({ callId: caller.callId, queueId: caller.queueId, agentId: agent.id });
  }
  return matches;
}

/** 1-based position of a caller among those waiting in its queue, in service order. */
export function positionInQueue(waiting: readonly QueueEntry[], callId: string): number {
  const entry = waiting.find((c) => c.callId === callId);
  if (!entry) return 0;
  return waiting.filter((c) => c.queueId === entry.queueId).sort(compareCallers).findIndex((c) => c.callId === callId) + 1;
}

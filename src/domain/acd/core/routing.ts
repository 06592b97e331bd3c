/**
 * Routing decisions on the indexes. A caller needing agents: the strategy walks the available agents of its
 * scarcest required skill (or the queue's members in rank order) and takes the first eligible ones. An agent
 * coming free: it looks at the head of each bucket of each queue it serves and takes the best caller (higher
 * priority, then longest waiting). Eligibility = skills at the caller's current widening step, queue
 * membership, no decline back-off for this agent, and the sticky window (only the sticky agent until it ends).
 */
import type { AgentSlot } from '../agent-index.js';
import { orderOf } from '../agent-index.js';
import { serviceOrder } from '../caller-index.js';
import { effectiveRequirement, meets, wideningIndex, type EffectiveRequirement } from '../skills.js';
import type { CoreState } from './state.js';
import type { CoreAgent, CoreCaller } from './types.js';

export function requirementNow(c: CoreState, caller: CoreCaller): EffectiveRequirement {
  return effectiveRequirement(caller.skills, caller.queue.widening, wideningIndex(caller.queue.widening, c.queueWaitMs(caller)));
}

/** A caller may be given an agent now: waiting on the line, or in virtual hold and due for its callback. */
export function routable(c: CoreState, caller: CoreCaller): boolean {
  return caller.state === 'waiting' || (caller.state === 'virtual-hold' && (caller.callback?.retryAtMs ?? 0) <= c.now);
}

function stickyFor(c: CoreState, caller: CoreCaller): string | undefined {
  return caller.sticky && c.now < caller.sticky.untilMs ? caller.sticky.agentId : undefined;
}

function notExcluded(c: CoreState, caller: CoreCaller, agentId: string): boolean {
  const until = caller.excluded.get(agentId);
  return until === undefined || until <= c.now;
}

/** The agents to offer `caller` now, per its queue's strategy (empty: none eligible). */
export function selectAgents(c: CoreState, caller: CoreCaller): AgentSlot[] {
  const q = caller.queue;
  const req = requirementNow(c, caller);
  const sticky = stickyFor(c, caller);
  const eligible = (slot: AgentSlot): boolean => meets(slot.cfg, q, req) && notExcluded(c, caller, slot.id);
  if (sticky !== undefined) {
    const a = c.agents.get(sticky);
    if (!a || !c.agentIndex.has(sticky)) return [];
    const slot: AgentSlot = { id: sticky, cfg: a.cfg, idleSinceMs: a.rec.idleSinceMs, callsAnswered: a.rec.callsAnswered, talkMs: a.rec.talkMs ?? 0, num: a.num };
    return eligible(slot) ? [slot] : [];
  }
  const order = orderOf(q.strategy);
  if (order === 'rank') {
    const from = q.strategy === 'round-robin' ? (c.rrCursor.get(q.id) ?? -1) : -1;
    const want = q.strategy === 'ring-progressively' ? Math.max(1, q.ringProgressively.initialAgents) : 1;
    return take(c.agentIndex.byRank(q.id, from), eligible, want);
  }
  const source = c.agentIndex.candidates(order, req.skills, req.anyAgentInGroup);
  switch (q.strategy) {
    case 'ring-all':
      return take(source, eligible, Infinity);
    case 'random': {
      const all = take(source, eligible, Infinity);
      if (all.length === 0) return [];
      return [all[Math.min(all.length - 1, Math.floor(c.random() * all.length))] as AgentSlot];
    }
    default:
      return take(source, eligible, 1);
  }
}

/** More agents for a ring-progressively caller: the next eligible members in rank order not rung yet. */
export function moreAgents(c: CoreState, caller: CoreCaller, count: number): AgentSlot[] {
  const req = requirementNow(c, caller);
  return take(c.agentIndex.byRank(caller.queue.id), (s) => !caller.rings.has(s.id) && meets(s.cfg, caller.queue, req) && notExcluded(c, caller, s.id), count);
}

function take(source: Iterable<AgentSlot>, ok: (s: AgentSlot) => boolean, want: number): AgentSlot[] {
  const out: AgentSlot[] = [];
  if (want <= 0) return out;
  for (const s of source) {
    if (!ok(s)) continue;
    out.push(s);
    if (out.length >= want) break;
  }
  return out;
}

/** The best caller an available agent can take now, across the queues it serves. */
export function findCallerFor(c: CoreState, a: CoreAgent): CoreCaller | undefined {
  let best: CoreCaller | undefined;
  for (const queueId of a.memberOf) {
    for (const bucket of c.callerIndex.buckets(queueId)) {
      if (best && bucket.priority < best.priority) continue;
      for (const caller of bucket.list) {
        if (best && serviceOrder(caller, best) >= 0) break;
        if (!routable(c, caller) || !notExcluded(c, caller, a.cfg.id)) continue;
        const sticky = stickyFor(c, caller);
        if (sticky !== undefined && sticky !== a.cfg.id) continue;
        if (meets(a.cfg, caller.queue, requirementNow(c, caller))) {
          best = caller;
          break;
        }
        // The callers behind waited less, so they are no more widened: none fits on skills either.
        if (!bucket.moved && sticky === undefined) break;
      }
    }
  }
  return best;
}

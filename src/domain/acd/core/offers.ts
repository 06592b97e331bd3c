/**
 * Offers: reserving agents for a caller and ringing them, through the offer table (offer-state.ts) for each
 * agent's part, the caller table for the caller's. One caller may ring several agents (ring-all,
 * ring-progressively): the first answer wins and the other rings are cancelled. Every agent is reserved by
 * the agent table before its phone rings, so an agent can never hold two offers.
 */
import type { AgentSlot } from '../agent-index.js';
import { transitionCaller, type CallerEventKind } from '../caller-state.js';
import { offerLive, transitionOffer, type OfferEventKind } from '../offer-state.js';
import { applyAgent } from './agents.js';
import { moreAgents } from './routing.js';
import type { CoreState } from './state.js';
import type { CoreAgent, CoreCaller, Ring } from './types.js';

export function moveCaller(c: CoreState, caller: CoreCaller, event: CallerEventKind): boolean {
  const res = transitionCaller(caller.state, event);
  if (!res.ok) {
    c.fault(res.error.message, { code: res.error.code, callId: caller.callId, state: caller.state, event });
    return false;
  }
  caller.state = res.value;
  c.dirtyCallers.add(caller.callId);
  return true;
}

export function moveRing(c: CoreState, caller: CoreCaller, ring: Ring, event: OfferEventKind): boolean {
  const res = transitionOffer(ring.state, event);
  if (!res.ok) {
    c.fault(res.error.message, { code: res.error.code, callId: caller.callId, agentId: ring.agentId, state: ring.state, event });
    return false;
  }
  ring.state = res.value;
  if (!offerLive(ring.state)) c.deadlines.cancel(ring.deadline);
  return true;
}

export const liveRings = (caller: CoreCaller): Ring[] => [...caller.rings.values()].filter((r) => offerLive(r.state));

/** Offers a waiting caller to the selected agents: reserve each, ring each (RONA deadline per ring). */
export function offer(c: CoreState, caller: CoreCaller, slots: readonly AgentSlot[]): void {
  if (slots.length === 0 || !moveCaller(c, caller, 'offer')) return;
  caller.offerAttempts += 1;
  caller.rings.clear();
  for (const slot of slots) ringAgent(c, caller, slot.id);
  const q = caller.queue;
  if (q.strategy === 'round-robin') {
    const rank = c.agentIndex.rankOf((slots[0] as AgentSlot).id, q.id) ?? c.rrCursor.get(q.id);
    if (rank !== undefined) c.rrCursor.set(q.id, rank);
  }
  if (q.strategy === 'ring-progressively') scheduleProgressive(c, caller);
}

function ringAgent(c: CoreState, caller: CoreCaller, agentId: string): void {
  const a = c.agents.get(agentId);
  if (!a || !applyAgent(c, a, { kind: 'reserve', callId: caller.callId }).ok) return;
  a.queueId = caller.queue.id;
  const ring: Ring = { agentId, state: 'reserved', startedMs: c.now };
  caller.rings.set(agentId, ring);
  startRing(c, caller, a, ring);
}

/** reserved → ringing: the agent's phone is rung, with its no-answer (RONA) deadline. */
export function startRing(c: CoreState, caller: CoreCaller, a: CoreAgent, ring: Ring): void {
  if (!moveRing(c, caller, ring, 'ring') || !applyAgent(c, a, { kind: 'ring' }).ok) return;
  ring.startedMs = c.now;
  ring.deadline = c.deadlines.add(c.now + caller.queue.ringTimeoutSec * 1000, () => rona(c, caller, ring));
  c.emit({ type: 'agent.offered', callId: caller.callId, queueId: caller.queue.id, agentId: a.cfg.id, attempt: caller.offerAttempts });
  c.command({ kind: 'ring', callId: caller.callId, agentId: a.cfg.id, callerNumber: caller.callerNumber });
}

function scheduleProgressive(c: CoreState, caller: CoreCaller): void {
  const { addAgents, everySec } = caller.queue.ringProgressively;
  c.callerTimer(caller, 'progressive', c.now + everySec * 1000, () => {
    if (caller.state !== 'offered') return;
    for (const slot of moreAgents(c, caller, addAgents)) ringAgent(c, caller, slot.id);
    scheduleProgressive(c, caller);
  });
}

function rona(c: CoreState, caller: CoreCaller, ring: Ring): void {
  if (!offerLive(ring.state) || !moveRing(c, caller, ring, 'timeout')) return;
  const a = c.agents.get(ring.agentId);
  c.command({ kind: 'cancel-ring', callId: caller.callId, agentId: ring.agentId });
  c.emit({ type: 'agent.rona', callId: caller.callId, queueId: caller.queue.id, agentId: ring.agentId, ringMs: c.now - ring.startedMs });
  if (a) applyAgent(c, a, { kind: 'rona' });
  ringsOver(c, caller);
}

/** When no ring of an offered caller is live any more, the caller waits again and is routed afresh. */
function ringsOver(c: CoreState, caller: CoreCaller): void {
  if (caller.state !== 'offered' || liveRings(caller).length > 0) return;
  c.deadlines.cancel(caller.timers.get('progressive'));
  caller.timers.delete('progressive');
  if (moveCaller(c, caller, 'offer-failed')) c.pendingCallers.add(caller.callId);
}

/** Cancels every live ring of a caller (it left, or another agent answered); the agents are free again. */
export function cancelRings(c: CoreState, caller: CoreCaller, except?: string): void {
  for (const ring of liveRings(caller)) {
    if (ring.agentId === except) continue;
    const wasReserved = ring.state === 'reserved';
    if (!moveRing(c, caller, ring, 'cancel')) continue;
    if (!wasReserved) c.command({ kind: 'cancel-ring', callId: caller.callId, agentId: ring.agentId });
    const a = c.agents.get(ring.agentId);
    if (a) applyAgent(c, a, { kind: wasReserved ? 'release' : 'cancelled' });
  }
  c.deadlines.cancel(caller.timers.get('progressive'));
  caller.timers.delete('progressive');
}

export function ringAlerting(c: CoreState, callId: string, agentId: string): void {
  const caller = c.callers.get(callId);
  const ring = caller?.rings.get(agentId);
  if (caller && ring && (ring.state === 'ringing' || ring.state === 'alerting')) {
    moveRing(c, caller, ring, 'alerting');
    c.emit({ type: 'agent.ringing', callId, agentId });
  }
}

/** The agent answered: it wins if its ring is still live; any other answer is dropped. */
export function ringAnswered(c: CoreState, callId: string, agentId: string): void {
  const caller = c.callers.get(callId);
  const ring = caller?.rings.get(agentId);
  const a = c.agents.get(agentId);
  if (!caller || !ring || !a || caller.state !== 'offered' || !offerLive(ring.state) || !moveRing(c, caller, ring, 'answer')) {
    c.command({ kind: 'drop-agent-leg', callId, agentId });
    return;
  }
  cancelRings(c, caller, agentId);
  moveCaller(c, caller, 'answer');
  c.clearCallerTimers(caller);
  c.callerIndex.remove(caller);
  c.callers.delete(callId);
  applyAgent(c, a, { kind: 'answer' });
  a.answeredAtMs = c.now;
  a.queueId = caller.queue.id;
  c.sticky.remember(caller.callerNumber, agentId, c.now);
  c.write({ kind: 'remember-agent', callerNumber: caller.callerNumber, agentId, atMs: c.now });
  c.emit({ type: 'call.answered', callId, queueId: caller.queue.id, agentId, waitMs: c.now - caller.joinedAtMs, ringMs: c.now - ring.startedMs });
  c.command({ kind: 'bridge', callId, agentId, queueId: caller.queue.id });
}

/** A decline (486/603 …) or failure: the agent is free, and backed off from this caller for a while. */
export function ringFailed(c: CoreState, callId: string, agentId: string, outcome: 'declined' | 'failed' | 'cancelled', sipStatus?: number, reason?: string): void {
  const caller = c.callers.get(callId);
  const ring = caller?.rings.get(agentId);
  // A cancelled outcome of a ring we cancelled is expected; its effects were applied when we cancelled it.
  if (!caller || !ring || !offerLive(ring.state) || ring.state === 'reserved') return;
  if (!moveRing(c, caller, ring, outcome === 'declined' ? 'decline' : 'fail')) return;
  const backoffMs = caller.queue.declineBackoffSec * 1000;
  caller.excluded.set(agentId, c.now + backoffMs);
  c.dirtyCallers.add(callId);
  c.callerTimer(caller, `backoff:${agentId}`, c.now + backoffMs, () => {
    caller.excluded.delete(agentId);
    if (caller.state === 'waiting' || caller.state === 'virtual-hold') c.pendingCallers.add(callId);
  });
  c.emit({
    type: 'agent.declined',
    callId,
    queueId: caller.queue.id,
    agentId,
    ...(sipStatus !== undefined ? { sipStatus } : {}),
    reason: outcome === 'declined' ? (reason ?? 'declined') : (reason ?? outcome),
  });
  const a = c.agents.get(agentId);
  if (a) applyAgent(c, a, { kind: 'declined' });
  ringsOver(c, caller);
}

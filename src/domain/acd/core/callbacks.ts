/**
 * Callback keeping the place (virtual hold). When a virtual-hold caller's turn comes, its agent is reserved
 * (not rung) and the caller is dialled on its own number; when the caller answers, the reserved agent is rung
 * and the two are bridged as for any offer. No answer, busy or failure frees the agent and retries later, up
 * to `maxAttempts`; then the callback is given up and the business call ends.
 */
import type { AgentSlot } from '../agent-index.js';
import { callbackConnectingPrompts } from '../announcements.js';
import { offerLive } from '../offer-state.js';
import { applyAgent } from './agents.js';
import { languageOf, placeOf } from './callers.js';
import { moveCaller, moveRing, startRing } from './offers.js';
import type { CoreState } from './state.js';
import type { CoreCaller, Ring } from './types.js';

/** Reserves one agent for a virtual-hold caller and dials the caller back. */
export function reserveForCallback(c: CoreState, caller: CoreCaller, slot: AgentSlot): void {
  const cb = caller.queue.callback;
  const state = caller.callback;
  const a = c.agents.get(slot.id);
  if (!cb || !state || !a) return;
  if (!moveCaller(c, caller, 'reserve-callback')) return;
  if (!applyAgent(c, a, { kind: 'reserve', callId: caller.callId }).ok) {
    moveCaller(c, caller, 'callback-failed');
    return;
  }
  a.queueId = caller.queue.id;
  state.attempts += 1;
  state.agentId = slot.id;
  caller.rings.clear();
  caller.rings.set(slot.id, { agentId: slot.id, state: 'reserved', startedMs: c.now });
  c.callerTimer(caller, 'dial', c.now + cb.dialTimeoutSec * 1000, () => {
    c.command({ kind: 'cancel-dial', callId: caller.callId });
    callbackFailed(c, caller.callId, 'no-answer');
  });
  c.command({
    kind: 'dial',
    callId: caller.callId,
    number: caller.callerNumber,
    trunk: cb.trunk,
    ...((cb.fromNumber ?? caller.dialledNumber) !== undefined ? { fromNumber: cb.fromNumber ?? caller.dialledNumber } : {}),
  });
}

/** The caller answered our callback: ring the reserved agent; the caller hears "connecting you" and music. */
export function callbackAnswered(c: CoreState, callId: string): boolean {
  const caller = c.callers.get(callId);
  const agentId = caller?.callback?.agentId;
  const ring: Ring | undefined = agentId !== undefined ? caller?.rings.get(agentId) : undefined;
  if (!caller || caller.state !== 'callback-dialing' || !ring || ring.state !== 'reserved' || agentId === undefined) return false;
  c.deadlines.cancel(caller.timers.get('dial'));
  caller.timers.delete('dial');
  c.emit({ type: 'queue.callback-attempt', callId, queueId: caller.queue.id, agentId, attempt: caller.callback?.attempts ?? 1, outcome: 'answered' });
  moveCaller(c, caller, 'callback-answered');
  caller.offerAttempts += 1;
  c.command({ kind: 'play', callId, files: callbackConnectingPrompts(languageOf(caller)) });
  c.command({ kind: 'moh', callId, file: caller.queue.musicOnHold });
  const a = c.agents.get(agentId);
  if (a) startRing(c, caller, a, ring);
  return true;
}

export function callbackFailed(c: CoreState, callId: string, outcome: 'no-answer' | 'busy' | 'failed'): void {
  const caller = c.callers.get(callId);
  const cb = caller?.queue.callback;
  const state = caller?.callback;
  if (!caller || !cb || !state || caller.state !== 'callback-dialing') return;
  c.deadlines.cancel(caller.timers.get('dial'));
  caller.timers.delete('dial');
  const agentId = state.agentId;
  const ring = agentId !== undefined ? caller.rings.get(agentId) : undefined;
  if (ring && offerLive(ring.state)) moveRing(c, caller, ring, 'release');
  const a = agentId !== undefined ? c.agents.get(agentId) : undefined;
  if (a) applyAgent(c, a, { kind: 'release' });
  c.emit({ type: 'queue.callback-attempt', callId, queueId: caller.queue.id, agentId: agentId ?? '', attempt: state.attempts, outcome });
  state.agentId = undefined;
  if (state.attempts >= cb.maxAttempts) {
    const position = placeOf(c, caller);
    moveCaller(c, caller, 'give-up');
    c.clearCallerTimers(caller);
    c.callerIndex.remove(caller);
    c.callers.delete(callId);
    c.emit({ type: 'queue.exited', callId, queueId: caller.queue.id, reason: 'callback-failed', action: 'hangup', target: 'callback-failed', waitMs: c.queueWaitMs(caller), position });
    c.command({ kind: 'end-call', callId, cause: 'callback-failed' });
    return;
  }
  moveCaller(c, caller, 'callback-failed');
  state.retryAtMs = c.now + cb.retryAfterSec * 1000;
  c.callerTimer(caller, 'retry', state.retryAtMs, () => c.pendingCallers.add(callId));
}

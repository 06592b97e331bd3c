/**
 * The ACD core: queues, agents, offers and callbacks as one pure, clock-driven state machine. No I/O, no
 * timers: `handle(input, nowMs)` applies an input at a time and returns the commands for the world (ring this
 * phone, bridge, play, emit this event …); deadlines (RONA, max wait, wrap-up, widening …) are data, and the
 * host wakes the core at `nextDeadlineMs()`. The engine (app/queue-engine.ts) hosts it on the real clock; the
 * simulator (domain/sim) on a simulated one; tests on a manual one. Being single-threaded and synchronous,
 * every input is applied atomically: an agent is never reserved twice, a caller never offered twice.
 */
import { isBusy } from '../agent-state.js';
import { offerLive } from '../offer-state.js';
import type { AgentRecord, QueueEntry } from '../model.js';
import { ErrorCodes, fail, type Result } from '../../shared/errors.js';
import { agentRequest, applyAgent, callEnded, disposition, registration } from './agents.js';
import { callbackAnswered, callbackFailed, reserveForCallback } from './callbacks.js';
import { callerDigit, callerHangsUp, callerJoins, ewtOf, leaveEmptied } from './callers.js';
import { ringAlerting, ringAnswered, ringFailed, offer, liveRings } from './offers.js';
import { findCallerFor, routable, selectAgents } from './routing.js';
import { CoreState, type CoreOptions } from './state.js';
import type { AcdInput, AcdOutput, CoreCaller } from './types.js';
import { serviceOrder } from '../caller-index.js';

/** Upper bound on routing steps per input: far above any real need, it turns a logic loop into a fault. */
const MAX_STEPS = 1_000_000;

export class AcdCore {
  private readonly c: CoreState;

  constructor(opts: CoreOptions) {
    this.c = new CoreState(opts);
  }

  /** Applies one input at `nowMs` (after every deadline due by then) and returns what to do. */
  handle(input: AcdInput, nowMs: number): AcdOutput {
    const c = this.c;
    c.out = [];
    this.fireDue(nowMs);
    c.now = Math.max(c.now, nowMs);
    const result = this.apply(input);
    this.settle();
    this.fireDue(c.now);
    this.flushCallers();
    const commands = c.out;
    c.out = [];
    return result ? { commands, result } : { commands };
  }

  nextDeadlineMs(): number | undefined {
    return this.c.deadlines.nextMs();
  }

  /** Remembered "last agent" of caller numbers (sticky agent), e.g. loaded from the store at start-up. */
  remember(callerNumber: string, agentId: string, atMs: number): void {
    this.c.sticky.remember(callerNumber, agentId, atMs);
  }

  agent(agentId: string): AgentRecord | undefined {
    return this.c.agents.get(agentId)?.rec;
  }

  agents(): AgentRecord[] {
    return [...this.c.agents.values()].map((a) => a.rec);
  }

  /** Callers holding a place, in service order, as store records. */
  waiting(queueId?: string): QueueEntry[] {
    return this.c.callerIndex.list(queueId).map((caller) => entryOf(caller));
  }

  caller(callId: string): QueueEntry | undefined {
    const caller = this.c.callers.get(callId);
    return caller ? entryOf(caller) : undefined;
  }

  position(callId: string): number {
    const caller = this.c.callers.get(callId);
    return caller ? this.c.callerIndex.position(caller) : 0;
  }

  /**
   * Estimated wait (s) of a new caller at `position` of a queue: 0 while as many members are free, else the
   * EWT formula; undefined when no member is staffed. (A read model for the API: it counts free members.)
   */
  ewtSec(queueId: string, position = this.c.callerIndex.count(queueId) + 1): number | undefined {
    const q = this.c.queues.get(queueId);
    if (!q) return undefined;
    let free = 0;
    for (const a of this.c.agents.values()) if (this.c.agentIndex.has(a.cfg.id) && a.memberOf.includes(queueId)) free += 1;
    return free >= position ? 0 : ewtOf(this.c, q, position - free);
  }

  /** Live rings: caller, agent, since when. */
  offers(): Array<{ callId: string; agentId: string; startedMs: number }> {
    const out: Array<{ callId: string; agentId: string; startedMs: number }> = [];
    for (const caller of this.c.callers.values()) {
      for (const r of liveRings(caller)) if (r.state !== 'reserved') out.push({ callId: caller.callId, agentId: r.agentId, startedMs: r.startedMs });
    }
    return out;
  }

  /** Staffing counts per queue: members logged in, and staffed (available or in call work). */
  staffing(queueId: string): { loggedIn: number; staffed: number } {
    return { loggedIn: this.c.loggedIn.get(queueId) ?? 0, staffed: this.c.staffed.get(queueId) ?? 0 };
  }

  /** Violated invariants (empty when all hold); the property test checks them after every step. */
  invariants(): string[] {
    return checkInvariants(this.c);
  }

  private apply(input: AcdInput): Result<AgentRecord> | undefined {
    const c = this.c;
    switch (input.kind) {
      case 'tick':
        return undefined;
      case 'caller-joins':
        callerJoins(c, input);
        return undefined;
      case 'caller-hangs-up':
        callerHangsUp(c, input.callId);
        return undefined;
      case 'caller-digit':
        callerDigit(c, input.callId, input.digit);
        return undefined;
      case 'ring-alerting':
        ringAlerting(c, input.callId, input.agentId);
        return undefined;
      case 'ring-answered':
        ringAnswered(c, input.callId, input.agentId);
        return undefined;
      case 'ring-failed':
        ringFailed(c, input.callId, input.agentId, input.outcome, input.sipStatus, input.reason);
        return undefined;
      case 'callback-answered':
        if (!callbackAnswered(c, input.callId)) c.command({ kind: 'leave', callId: input.callId, how: 'hangup', cause: 'callback-stale', files: [] });
        return undefined;
      case 'callback-failed':
        callbackFailed(c, input.callId, input.outcome);
        return undefined;
    }
    const a = c.agents.get(input.agentId);
    if (!a) return fail(ErrorCodes.AGENT_NOT_FOUND, `no agent "${input.agentId}" in config/agents.yaml`);
    switch (input.kind) {
      case 'call-ended': {
        const wrapupMs = input.wrapupMs ?? (a.queueId ? (c.queues.get(a.queueId)?.wrapupSec ?? 0) * 1000 : 0);
        return callEnded(c, a, input.callId, wrapupMs);
      }
      case 'registration':
        registration(c, a, input.registered);
        return undefined;
      case 'agent-request':
        return agentRequest(c, a, input.request);
      case 'agent-event':
        if (input.event.kind === 'reserve') a.queueId = undefined; // a transfer, not a queue call
        if (input.event.kind === 'answer') a.answeredAtMs = c.now;
        return applyAgent(c, a, input.event, undefined, true);
      case 'disposition':
        return disposition(c, a, input.code, input.callId, input.ready ?? false);
    }
  }

  /** Store records of the callers changed by this input. */
  private flushCallers(): void {
    const c = this.c;
    if (!c.writeThrough) {
      c.dirtyCallers.clear();
      return;
    }
    for (const id of c.dirtyCallers) {
      const caller = c.callers.get(id);
      if (caller && c.callerIndex.has(caller)) c.write({ kind: 'save-caller', entry: entryOf(caller) });
      else c.write({ kind: 'remove-caller', callId: id });
    }
    c.dirtyCallers.clear();
  }

  /** Fires every deadline due by `nowMs`, each at its own time, routing after each. */
  private fireDue(nowMs: number): void {
    const c = this.c;
    for (let d = c.deadlines.popDue(nowMs); d; d = c.deadlines.popDue(nowMs)) {
      c.now = Math.max(c.now, d.atMs);
      d.fire(c.now);
      this.settle();
    }
  }

  /** Routes until nothing more can be matched: agents that came free pick callers, new callers pick agents. */
  private settle(): void {
    const c = this.c;
    leaveEmptied(c);
    for (let steps = 0; c.pendingAgents.size > 0 || c.pendingCallers.size > 0; steps += 1) {
      if (steps > MAX_STEPS) {
        c.fault('routing did not settle', { pendingAgents: c.pendingAgents.size, pendingCallers: c.pendingCallers.size });
        c.pendingAgents.clear();
        c.pendingCallers.clear();
        return;
      }
      const agentId = first(c.pendingAgents);
      if (agentId !== undefined) {
        c.pendingAgents.delete(agentId);
        const a = c.agents.get(agentId);
        if (!a || !c.agentIndex.has(agentId)) continue;
        const caller = findCallerFor(c, a);
        if (caller) this.serve(caller);
        continue;
      }
      const next = this.bestPendingCaller();
      if (next) this.serve(next);
      leaveEmptied(c);
    }
  }

  private bestPendingCaller(): CoreCaller | undefined {
    const c = this.c;
    let best: CoreCaller | undefined;
    for (const id of c.pendingCallers) {
      const caller = c.callers.get(id);
      if (!caller || !routable(c, caller)) {
        c.pendingCallers.delete(id);
        continue;
      }
      if (!best || serviceOrder(caller, best) < 0) best = caller;
    }
    if (best) c.pendingCallers.delete(best.callId);
    return best;
  }

  private serve(caller: CoreCaller): void {
    const c = this.c;
    if (!routable(c, caller)) return;
    const slots = selectAgents(c, caller);
    if (slots.length === 0) return;
    if (caller.state === 'virtual-hold') reserveForCallback(c, caller, slots[0] as (typeof slots)[number]);
    else offer(c, caller, slots);
  }
}

function first<T>(set: Set<T>): T | undefined {
  for (const v of set) return v;
  return undefined;
}

function entryOf(caller: CoreCaller): QueueEntry {
  const live = liveRings(caller);
  const excluded = [...caller.excluded].filter(([, until]) => until > 0).map(([id]) => id);
  return {
    callId: caller.callId,
    queueId: caller.queue.id,
    callerNumber: caller.callerNumber,
    priority: caller.priority,
    joinedAtMs: caller.joinedAtMs,
    ...(live[0] ? { offeredTo: live[0].agentId } : {}),
    excludedAgents: excluded,
    offerAttempts: caller.offerAttempts,
    state: caller.state,
    queueEnteredAtMs: caller.queueEnteredAtMs,
  };
}

function checkInvariants(c: CoreState): string[] {
  const bad: string[] = [];
  const holders = new Map<string, string>();
  for (const caller of c.callers.values()) {
    const live = liveRings(caller);
    if (caller.state === 'offered' && live.length === 0) bad.push(`caller ${caller.callId} offered with no live ring`);
    if ((caller.state === 'waiting' || caller.state === 'virtual-hold') && live.length > 0) bad.push(`caller ${caller.callId} ${caller.state} with a live ring`);
    if (live.length > 1 && !['ring-all', 'ring-progressively'].includes(caller.queue.strategy)) bad.push(`caller ${caller.callId} rings ${live.length} agents`);
    for (const r of live) {
      const other = holders.get(r.agentId);
      if (other) bad.push(`agent ${r.agentId} holds offers for ${other} and ${caller.callId}`);
      holders.set(r.agentId, caller.callId);
      const a = c.agents.get(r.agentId);
      const want = r.state === 'reserved' ? 'reserved' : 'ringing';
      if (a?.rec.state.name !== want || a.rec.state.callId !== caller.callId) bad.push(`agent ${r.agentId} is ${a?.rec.state.name} but its offer for ${caller.callId} is ${r.state}`);
    }
    if (!c.callerIndex.has(caller)) bad.push(`caller ${caller.callId} (${caller.state}) is not in the queue index`);
  }
  for (const a of c.agents.values()) {
    const s = a.rec.state;
    const indexed = c.agentIndex.has(a.cfg.id);
    if (indexed !== (s.name === 'available' && a.rec.registered)) bad.push(`agent ${a.cfg.id} ${s.name} registered=${a.rec.registered} indexed=${indexed}`);
    if ((s.name === 'reserved' || s.name === 'ringing') && holders.get(a.cfg.id) !== s.callId && c.callers.has(s.callId ?? '')) {
      bad.push(`agent ${a.cfg.id} is ${s.name} for ${s.callId} without that offer`);
    }
    if (isBusy(s) && !s.callId) bad.push(`agent ${a.cfg.id} is ${s.name} without a call`);
    if (s.name === 'wrap-up' && !a.wrapup) bad.push(`agent ${a.cfg.id} in wrap-up without a deadline`);
  }
  for (const caller of c.callers.values()) {
    for (const r of caller.rings.values()) if (offerLive(r.state) && !c.agents.has(r.agentId)) bad.push(`ring to unknown agent ${r.agentId}`);
  }
  return bad;
}

/**
 * The core's agent side: every change goes through the agent table (agent-state.ts); around it the core keeps
 * the available-agent index, the per-queue staffing counts, wrap-up deadlines and handle-time statistics, and
 * emits agent.state-changed for every change of state or reason.
 */
import { isBusy, transitionAgent, type AgentEvent, type AgentState } from '../agent-state.js';
import type { AgentRecord } from '../model.js';
import { ErrorCodes, fail, ok, type Result } from '../../shared/errors.js';
import type { CoreState } from './state.js';
import type { AgentRequest, CoreAgent } from './types.js';

const loggedIn = (s: AgentState): boolean => s.name !== 'logged-out';
const staffed = (s: AgentState): boolean => s.name === 'available' || isBusy(s);

/**
 * Applies one agent-table event; keeps index, counters and events in step. An illegal transition the core
 * itself asked for is a defect (a fault); one asked for from outside (`external`: the API, a transfer) is
 * only refused.
 */
export function applyAgent(c: CoreState, a: CoreAgent, event: AgentEvent, patch?: Partial<AgentRecord>, external = false): Result<AgentRecord> {
  const before = a.rec.state;
  const res = transitionAgent(before, event, c.now);
  if (!res.ok) {
    if (!external) c.fault(res.error.message, { code: res.error.code, agentId: a.cfg.id, state: before.name, event: event.kind });
    return res;
  }
  const next = res.value;
  const becameAvailable = next.name === 'available' && before.name !== 'available';
  const rec = patch ? { ...a.rec, ...patch } : { ...a.rec };
  rec.state = next;
  if (becameAvailable) rec.idleSinceMs = c.now;
  rec.version += 1;
  a.rec = rec;
  afterChange(c, a, before);
  return ok(a.rec);
}

/** Sets registration (not a table event on its own) and re-indexes. */
export function setRegistered(c: CoreState, a: CoreAgent, registered: boolean): void {
  if (a.rec.registered === registered) return;
  a.rec = { ...a.rec, registered, version: a.rec.version + 1 };
  reindex(c, a);
  c.write({ kind: 'save-agent', record: a.rec });
  if (registered && a.rec.state.name === 'available') c.pendingAgents.add(a.cfg.id);
}

function afterChange(c: CoreState, a: CoreAgent, before: AgentState): void {
  const s = a.rec.state;
  reindex(c, a);
  count(c, a, before, s);
  c.write({ kind: 'save-agent', record: a.rec });
  if (before.name !== s.name || before.reason !== s.reason) {
    const callId = s.callId ?? before.callId;
    c.emit({ type: 'agent.state-changed', agentId: a.cfg.id, from: before.name, to: s.name, ...(s.reason ? { reason: s.reason } : {}), ...(callId ? { callId } : {}) });
  }
  if (s.name === 'available' && a.rec.registered) c.pendingAgents.add(a.cfg.id);
}

function reindex(c: CoreState, a: CoreAgent): void {
  const r = a.rec;
  if (r.state.name === 'available' && r.registered) {
    if (!c.agentIndex.has(r.id)) {
      c.agentIndex.add({ id: r.id, cfg: a.cfg, idleSinceMs: r.idleSinceMs, callsAnswered: r.callsAnswered, talkMs: r.talkMs ?? 0, num: a.num });
    }
  } else c.agentIndex.remove(r.id);
}

function count(c: CoreState, a: CoreAgent, before: AgentState, after: AgentState): void {
  const dl = Number(loggedIn(after)) - Number(loggedIn(before));
  const ds = Number(staffed(after)) - Number(staffed(before));
  if (dl === 0 && ds === 0) return;
  for (const q of a.memberOf) {
    const n = (c.loggedIn.get(q) ?? 0) + dl;
    c.loggedIn.set(q, n);
    c.staffed.set(q, (c.staffed.get(q) ?? 0) + ds);
    if (dl < 0 && n === 0) c.emptied.add(q);
  }
}

export function registration(c: CoreState, a: CoreAgent, registered: boolean): void {
  if (registered) {
    // Only a new registration logs in: a refresh must not undo an agent's own log-out.
    const wasRegistered = a.rec.registered;
    setRegistered(c, a, true);
    if (!wasRegistered && a.cfg.readyOnRegister && a.rec.state.name === 'logged-out') applyAgent(c, a, { kind: 'ready' });
    return;
  }
  setRegistered(c, a, false);
  if (a.rec.state.name === 'wrap-up') endWrapup(c, a, { kind: 'registration-lost' });
  else applyAgent(c, a, { kind: 'registration-lost' });
}

/** A state request from the API: checks registration and reason codes, ends a wrap-up early. */
export function agentRequest(c: CoreState, a: CoreAgent, req: AgentRequest): Result<AgentRecord> {
  if (req.state === 'ready' && !a.rec.registered) {
    return fail(ErrorCodes.AGENT_NOT_REGISTERED, `agent "${a.cfg.id}" has no registered phone; register the softphone first`);
  }
  if (req.state === 'not-ready') {
    const allowed = a.cfg.notReadyReasons ?? [];
    if (allowed.length > 0 && !allowed.includes(req.reason)) {
      return fail(ErrorCodes.NOT_READY_REASON_INVALID, `not-ready reason "${req.reason}" is not configured; use one of: ${allowed.join(', ')}`);
    }
  }
  const event: AgentEvent = req.state === 'ready' ? { kind: 'ready' } : req.state === 'not-ready' ? { kind: 'not-ready', reason: req.reason } : { kind: 'logout', reason: 'api' };
  if (a.rec.state.name === 'wrap-up') return endWrapup(c, a, event);
  return applyAgent(c, a, event, undefined, true);
}

/** The agent's call ended: talk time and call count, then wrap-up (a deadline) or available at once. */
export function callEnded(c: CoreState, a: CoreAgent, callId: string, wrapupMs: number): Result<AgentRecord> {
  const talkMs = a.answeredAtMs !== undefined ? c.now - a.answeredAtMs : 0;
  a.callEndedAtMs = c.now;
  const res = applyAgent(c, a, { kind: 'call-ended', wrapupMs }, { callsAnswered: a.rec.callsAnswered + 1, talkMs: (a.rec.talkMs ?? 0) + talkMs });
  if (!res.ok) return res;
  if (res.value.state.name === 'wrap-up') {
    const startedMs = c.now;
    const deadline = c.deadlines.add(c.now + wrapupMs, () => {
      if (a.wrapup?.deadline === deadline) endWrapup(c, a, { kind: 'wrapup-done' });
    });
    a.wrapup = { deadline, callId, startedMs };
  } else recordHandle(c, a, 0);
  return res;
}

/** Ends wrap-up with `event` (its deadline, or the agent's ready / not-ready / logout), recording the handle time. */
export function endWrapup(c: CoreState, a: CoreAgent, event: AgentEvent): Result<AgentRecord> {
  const w = a.wrapup;
  if (w) {
    c.deadlines.cancel(w.deadline);
    a.wrapup = undefined;
  }
  const res = applyAgent(c, a, event);
  if (res.ok && w) {
    const wrapupMs = c.now - w.startedMs;
    c.emit({ type: 'agent.wrapup-ended', agentId: a.cfg.id, callId: w.callId, wrapupMs });
    recordHandle(c, a, wrapupMs);
  }
  return res;
}

function recordHandle(c: CoreState, a: CoreAgent, wrapupMs: number): void {
  if (a.queueId === undefined || a.answeredAtMs === undefined || a.callEndedAtMs === undefined) return;
  c.handleTimes.get(a.queueId)?.add(a.callEndedAtMs - a.answeredAtMs + wrapupMs);
  a.answeredAtMs = undefined;
}

/** A disposition code on the agent's current call (on the call or in wrap-up), optionally ending wrap-up. */
export function disposition(c: CoreState, a: CoreAgent, code: string, callId: string | undefined, ready: boolean): Result<AgentRecord> {
  const s = a.rec.state;
  const current = s.name === 'on-call' || s.name === 'wrap-up' ? (s.callId ?? a.wrapup?.callId) : undefined;
  if (current === undefined) {
    return fail(ErrorCodes.DISPOSITION_INVALID, `agent "${a.cfg.id}" is ${s.name}: a disposition is set during the call or its wrap-up`);
  }
  if (callId !== undefined && callId !== current) {
    return fail(ErrorCodes.DISPOSITION_INVALID, `agent "${a.cfg.id}" is on call ${current}, not ${callId}`);
  }
  const codes = a.queueId ? (c.queues.get(a.queueId)?.dispositionCodes ?? []) : [];
  if (codes.length > 0 && !codes.includes(code)) {
    return fail(ErrorCodes.DISPOSITION_INVALID, `disposition "${code}" is not configured for queue ${a.queueId}; use one of: ${codes.join(', ')}`);
  }
  c.emit({ type: 'agent.disposition', agentId: a.cfg.id, callId: current, code, ...(a.queueId ? { queueId: a.queueId } : {}) });
  if (ready && s.name === 'wrap-up') return endWrapup(c, a, { kind: 'ready' });
  return ok(a.rec);
}

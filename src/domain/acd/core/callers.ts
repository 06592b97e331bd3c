/**
 * The caller side: joining (full and empty rules), the timers of a waiting caller (max wait, widening steps,
 * sticky window, announcements, the callback offer), keys (exit key, callback key), hang-ups, and leaving a
 * queue for another queue, a flow node, a hang-up, or virtual hold.
 */
import { callbackConfirmPrompts, callbackOfferPrompts, ewtPrompts, positionPrompts, promptFor } from '../announcements.js';
import { bucketKey } from '../caller-index.js';
import { holdsPlace, onTheLine } from '../caller-state.js';
import { estimatedWaitSec } from '../ewt.js';
import type { ResolvedQueue, QueueExit, RoutingAttributes } from '../model.js';
import { callerRequirement, nextWideningMs, wideningIndex } from '../skills.js';
import { cancelRings, liveRings, moveCaller } from './offers.js';
import type { CoreState } from './state.js';
import type { CoreCaller } from './types.js';

/** Overflow hops before a caller is hung up (config validation rejects cycles; this guards the rest). */
export const MAX_HOPS = 8;

export type ExitReason = 'max-wait' | 'full' | 'empty' | 'exit-key';

export function languageOf(caller: CoreCaller): string {
  return caller.attrs?.language ?? caller.queue.language;
}

export function callerJoins(
  c: CoreState,
  input: { callId: string; queueId: string; callerNumber: string; priority: number; attrs?: RoutingAttributes; dialledNumber?: string },
): void {
  const queue = c.queues.get(input.queueId);
  if (!queue || c.callers.has(input.callId)) {
    c.fault('caller-joins for an unknown queue or a caller already queued', { callId: input.callId, queueId: input.queueId });
    return;
  }
  const req = callerRequirement(queue, input.priority, input.attrs);
  const caller: CoreCaller = {
    callId: input.callId,
    callerNumber: input.callerNumber,
    ...(input.dialledNumber !== undefined ? { dialledNumber: input.dialledNumber } : {}),
    ...(input.attrs ? { attrs: input.attrs } : {}),
    flowPriority: input.priority,
    joinedAtMs: c.now,
    seq: c.nextSeq(),
    queue,
    queueEnteredAtMs: c.now,
    priority: req.priority,
    skills: req.skills,
    bucket: bucketKey(req.priority, req.skills, false),
    moved: false,
    state: 'waiting',
    offerAttempts: 0,
    hops: 0,
    rings: new Map(),
    excluded: new Map(),
    callbackOffered: false,
    timers: new Map(),
  };
  c.callers.set(caller.callId, caller);
  enterQueue(c, caller, []);
}

/** The caller enters `caller.queue` (first join or overflow): full/empty rules, then it waits. */
function enterQueue(c: CoreState, caller: CoreCaller, prompts: readonly string[]): void {
  const q = caller.queue;
  const count = c.callerIndex.count(q.id);
  if (q.maxLength !== undefined && count >= q.maxLength) {
    c.emit({ type: 'queue.joined', callId: caller.callId, queueId: q.id, position: count + 1, priority: caller.priority });
    exitQueue(c, caller, 'full', q.onFull);
    return;
  }
  if (!q.joinWhenEmpty && (c.loggedIn.get(q.id) ?? 0) === 0) {
    c.emit({ type: 'queue.joined', callId: caller.callId, queueId: q.id, position: count + 1, priority: caller.priority });
    exitQueue(c, caller, 'empty', q.onEmpty);
    return;
  }
  c.callerIndex.add(caller);
  c.dirtyCallers.add(caller.callId);
  const position = c.callerIndex.position(caller);
  c.emit({ type: 'queue.joined', callId: caller.callId, queueId: q.id, position, priority: caller.priority });
  const lang = languageOf(caller);
  // One play (the exit's prompts, then the position) and the queue's music after it.
  const files = prompts.map((p) => promptFor(p, lang));
  if (q.announce.onJoin) files.push(...positionAnnouncement(c, caller));
  if (files.length > 0) c.command({ kind: 'play', callId: caller.callId, files });
  c.command({ kind: 'moh', callId: caller.callId, file: q.musicOnHold });
  setupSticky(c, caller);
  scheduleWaiting(c, caller);
  c.pendingCallers.add(caller.callId);
}

function setupSticky(c: CoreState, caller: CoreCaller): void {
  const s = caller.queue.sticky;
  caller.sticky = undefined;
  if (!s || s.waitSec <= 0) return;
  const agentId = c.sticky.lastAgent(caller.callerNumber, c.now, s.withinDays * 86_400_000);
  const a = agentId !== undefined ? c.agents.get(agentId) : undefined;
  // Only wait for an agent who is logged in and could take this queue.
  if (!a || a.rec.state.name === 'logged-out' || !a.memberOf.includes(caller.queue.id)) return;
  caller.sticky = { agentId: a.cfg.id, untilMs: c.now + s.waitSec * 1000 };
  c.callerTimer(caller, 'sticky', caller.sticky.untilMs, () => c.pendingCallers.add(caller.callId));
}

/** Timers of a caller who has just entered a queue. */
function scheduleWaiting(c: CoreState, caller: CoreCaller): void {
  const q = caller.queue;
  if (q.maxWaitSec !== undefined) {
    c.callerTimer(caller, 'max-wait', caller.queueEnteredAtMs + q.maxWaitSec * 1000, () => {
      if (onTheLine(caller.state)) exitQueue(c, caller, 'max-wait', q.onMaxWait);
    });
  }
  scheduleWidening(c, caller);
  const a = q.announce;
  if (a.positionEverySec > 0) repeat(c, caller, 'announce', a.positionEverySec, () => announcePosition(c, caller));
  if (a.comfortEverySec > 0) {
    repeat(c, caller, 'comfort', a.comfortEverySec, () => {
      c.command({ kind: 'play', callId: caller.callId, files: [promptFor(a.comfortPrompt, languageOf(caller))] });
      c.emit({ type: 'queue.announced', callId: caller.callId, queueId: q.id, kind: 'comfort' });
    });
  }
  const cb = q.callback;
  if (cb && callbackPossible(c, caller)) {
    const fire = (): void => {
      if (!onTheLine(caller.state)) return;
      if (caller.state === 'waiting') {
        caller.callbackOffered = true;
        c.command({ kind: 'play', callId: caller.callId, files: callbackOfferPrompts(languageOf(caller)) });
        c.emit({ type: 'queue.announced', callId: caller.callId, queueId: q.id, kind: 'callback-offer' });
      }
      if (cb.offerEverySec > 0) c.callerTimer(caller, 'callback-offer', c.now + cb.offerEverySec * 1000, fire);
    };
    c.callerTimer(caller, 'callback-offer', caller.queueEnteredAtMs + cb.offerAfterSec * 1000, fire);
  }
}

/** Runs `fn` every `everySec` while the caller is on the line (skipped while an agent rings). */
function repeat(c: CoreState, caller: CoreCaller, name: string, everySec: number, fn: () => void): void {
  if (everySec <= 0) return;
  c.callerTimer(caller, name, c.now + everySec * 1000, () => {
    if (!onTheLine(caller.state)) return;
    if (caller.state === 'waiting') fn();
    repeat(c, caller, name, everySec, fn);
  });
}

function scheduleWidening(c: CoreState, caller: CoreCaller): void {
  const steps = caller.queue.widening;
  const next = nextWideningMs(steps, wideningIndex(steps, c.queueWaitMs(caller)));
  if (next === undefined) return;
  c.callerTimer(caller, 'widen', caller.queueEnteredAtMs + next, () => {
    c.pendingCallers.add(caller.callId);
    scheduleWidening(c, caller);
  });
}

export function ewtOf(c: CoreState, queue: ResolvedQueue, position: number): number | undefined {
  const aht = c.handleTimes.get(queue.id)?.ahtSec ?? queue.expectedHandleSec;
  return estimatedWaitSec(position, aht, c.staffed.get(queue.id) ?? 0);
}

function announcePosition(c: CoreState, caller: CoreCaller): void {
  c.command({ kind: 'play', callId: caller.callId, files: positionAnnouncement(c, caller) });
}

/** The position (and EWT) prompts for a caller, recording the announcement. */
function positionAnnouncement(c: CoreState, caller: CoreCaller): string[] {
  const q = caller.queue;
  const lang = languageOf(caller);
  const position = c.callerIndex.position(caller);
  const files = positionPrompts(lang, position);
  const ewtSec = q.announce.ewt ? ewtOf(c, q, position) : undefined;
  if (ewtSec !== undefined) files.push(...ewtPrompts(lang, ewtSec));
  c.emit({ type: 'queue.announced', callId: caller.callId, queueId: q.id, kind: 'position', position, ...(ewtSec !== undefined ? { ewtSec: Math.round(ewtSec) } : {}) });
  return files;
}

/** Callbacks go only to the caller's own number, when it looks dialable and the telephony can dial. */
export function callbackPossible(c: CoreState, caller: CoreCaller): boolean {
  return c.canDial && caller.queue.callback !== undefined && /^\+?[0-9]{3,20}$/.test(caller.callerNumber);
}

/** Removes a caller that leaves for good (answered elsewhere, abandoned, exited). */
function drop(c: CoreState, caller: CoreCaller): void {
  c.clearCallerTimers(caller);
  c.callerIndex.remove(caller);
  c.callers.delete(caller.callId);
}

export function callerHangsUp(c: CoreState, callId: string): void {
  const caller = c.callers.get(callId);
  if (!caller) return;
  if (!onTheLine(caller.state)) {
    moveCaller(c, caller, 'hangup'); // virtual hold: the hang-up we asked for
    return;
  }
  const whileRinging = liveRings(caller).some((r) => r.state !== 'reserved');
  const position = c.callerIndex.position(caller);
  cancelRings(c, caller);
  moveCaller(c, caller, 'hangup');
  drop(c, caller);
  c.emit({ type: 'call.abandoned', callId, queueId: caller.queue.id, waitMs: c.now - caller.joinedAtMs, whileRinging, position });
}

export function callerDigit(c: CoreState, callId: string, digit: string): void {
  const caller = c.callers.get(callId);
  if (!caller || !onTheLine(caller.state)) return;
  const q = caller.queue;
  if (q.exitKey && digit === q.exitKey.digit) exitQueue(c, caller, 'exit-key', q.exitKey.exit);
  else if (q.callback && digit === q.callback.key && caller.callbackOffered && callbackPossible(c, caller)) acceptCallback(c, caller, 'key');
}

/** Leaves the queue without an agent, to the configured exit. */
export function exitQueue(c: CoreState, caller: CoreCaller, reason: ExitReason, exit: QueueExit): void {
  if (caller.state === 'offered') {
    cancelRings(c, caller);
    moveCaller(c, caller, 'offer-failed');
  }
  const q = caller.queue;
  const waitMs = c.queueWaitMs(caller);
  const left = { callId: caller.callId, queueId: q.id, waitMs, position: placeOf(c, caller), ...(reason === 'exit-key' && q.exitKey ? { key: q.exitKey.digit } : {}) };
  const lang = languageOf(caller);
  const files = exit.prompts.map((p) => promptFor(p, lang));
  if (exit.kind === 'callback') {
    if (callbackPossible(c, caller)) {
      c.callerIndex.add(caller); // a caller turned away at the door (full, empty) keeps a place off the line
      acceptCallback(c, caller, reason);
      return;
    }
    exit = { kind: 'hangup', cause: 'callback-unavailable', prompts: exit.prompts };
  }
  if (exit.kind === 'queue' && caller.hops < MAX_HOPS) {
    const next = c.queues.get(exit.queueId);
    if (next && moveCaller(c, caller, 'move')) {
      c.emit({ type: 'queue.exited', ...left, reason, action: 'queue', target: next.id });
      c.clearCallerTimers(caller);
      c.callerIndex.remove(caller);
      moveTo(c, caller, next);
      enterQueue(c, caller, exit.prompts);
      return;
    }
  }
  const loop = exit.kind === 'queue';
  if (!moveCaller(c, caller, 'exit')) return;
  drop(c, caller);
  if (exit.kind === 'flow') {
    c.emit({ type: 'queue.exited', ...left, reason, action: 'flow', target: exit.node });
    c.command({ kind: 'leave', callId: caller.callId, how: 'flow', node: exit.node, files });
    return;
  }
  const cause = loop ? 'overflow-loop' : exit.kind === 'hangup' ? exit.cause : 'queue-exit';
  c.emit({ type: 'queue.exited', ...left, reason: loop ? 'overflow-loop' : reason, action: 'hangup', target: cause });
  c.command({ kind: 'leave', callId: caller.callId, how: 'hangup', cause, files: loop ? [] : files });
}

function moveTo(c: CoreState, caller: CoreCaller, next: ResolvedQueue): void {
  const req = callerRequirement(next, caller.flowPriority, caller.attrs);
  caller.queue = next;
  caller.queueEnteredAtMs = c.now;
  caller.priority = Math.max(req.priority, caller.priority);
  caller.skills = req.skills;
  caller.moved = true;
  caller.bucket = bucketKey(caller.priority, caller.skills, true);
  caller.hops += 1;
  caller.excluded.clear();
  caller.callbackOffered = false;
}

/** Virtual hold: the caller keeps its place and hangs up; an agent will be reserved and the caller called back. */
export function acceptCallback(c: CoreState, caller: CoreCaller, trigger: ExitReason | 'key'): void {
  const cb = caller.queue.callback;
  if (!cb) return;
  if (caller.state === 'offered') {
    cancelRings(c, caller);
    moveCaller(c, caller, 'offer-failed');
  }
  const waitMs = c.now - caller.joinedAtMs;
  if (!moveCaller(c, caller, 'accept-callback')) return;
  // Keep the routing timers (widening, sticky, back-offs); the on-line ones end with the line.
  c.clearCallerTimers(caller, (name) => name === 'widen' || name === 'sticky' || name.startsWith('backoff:'));
  caller.callback = { attempts: 0, retryAtMs: c.now };
  c.callerTimer(caller, 'expire', c.now + cb.expireAfterSec * 1000, () => {
    if (caller.state !== 'virtual-hold') return;
    const position = placeOf(c, caller);
    moveCaller(c, caller, 'give-up');
    drop(c, caller);
    c.emit({ type: 'queue.exited', callId: caller.callId, queueId: caller.queue.id, reason: 'callback-expired', action: 'hangup', target: 'callback-expired', waitMs: c.queueWaitMs(caller), position });
    c.command({ kind: 'end-call', callId: caller.callId, cause: 'callback-expired' });
  });
  c.emit({ type: 'queue.callback-accepted', callId: caller.callId, queueId: caller.queue.id, trigger, position: c.callerIndex.position(caller), waitMs });
  c.command({ kind: 'leave', callId: caller.callId, how: 'callback-hold', files: callbackConfirmPrompts(languageOf(caller)) });
  c.pendingCallers.add(caller.callId);
}

/** Leave-when-empty: callers on the line in queues whose last logged-in member left take the empty exit. */
export function leaveEmptied(c: CoreState): void {
  for (const queueId of c.emptied) {
    const q = c.queues.get(queueId);
    if (!q?.leaveWhenEmpty || (c.loggedIn.get(queueId) ?? 0) > 0) continue;
    for (const caller of c.callerIndex.list(queueId)) if (onTheLine(caller.state)) exitQueue(c, caller, 'empty', q.onEmpty);
  }
  c.emptied.clear();
}

/** 1-based place of a caller holding one; 0 for a caller turned away before taking one. */
export function placeOf(c: CoreState, caller: CoreCaller): number {
  return c.callerIndex.has(caller) ? c.callerIndex.position(caller) : 0;
}

export { holdsPlace };

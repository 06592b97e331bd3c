/**
 * The caller-in-queue state machine. State is data; `transitionCaller` is a pure function over the table.
 *
 *                   offer                      answer
 *   (join) ──▶ waiting ─────────────▶ offered ────────────▶ answered
 *              │ ▲  ▲ ◀── offer-failed ──┘ │
 *              │ │  └──── move ────────────┤ (overflow to another queue: cancel rings, wait there)
 *              │ └─ move (overflow)        │
 *              │── hangup ──────────────────┼──────────────▶ abandoned
 *              │── exit (max wait, empty, exit key, overflow to a flow node / hang-up) ──▶ exited
 *              │ accept-callback
 *              ▼
 *         virtual-hold ──reserve-callback──▶ callback-dialing ──callback-answered──▶ offered
 *              ▲  │                                 │
 *              │  └── give-up (expired) ──▶ exited ◀─┤ give-up (attempts used up)
 *              └──────── callback-failed (retry) ────┘
 *
 * In virtual hold and while dialling, the caller's original leg is gone: its late hang-up is expected and
 * changes nothing (the `hangup` rows that stay put). `answered`, `abandoned` and `exited` are final.
 */
import type { CallerStateName } from './model.js';
import { ErrorCodes, fail, ok, type Result } from '../shared/errors.js';

export type CallerEventKind =
  | 'offer'
  | 'offer-failed'
  | 'answer'
  | 'hangup'
  | 'exit'
  | 'move'
  | 'accept-callback'
  | 'reserve-callback'
  | 'callback-answered'
  | 'callback-failed'
  | 'give-up';

export const CALLER_TRANSITIONS: Readonly<Record<CallerStateName, Partial<Record<CallerEventKind, CallerStateName>>>> = {
  waiting: { offer: 'offered', hangup: 'abandoned', exit: 'exited', move: 'waiting', 'accept-callback': 'virtual-hold' },
  offered: { answer: 'answered', 'offer-failed': 'waiting', hangup: 'abandoned', exit: 'exited', move: 'waiting' },
  'virtual-hold': { 'reserve-callback': 'callback-dialing', 'give-up': 'exited', hangup: 'virtual-hold' },
  'callback-dialing': { 'callback-answered': 'offered', 'callback-failed': 'virtual-hold', 'give-up': 'exited', hangup: 'callback-dialing' },
  answered: {},
  abandoned: {},
  exited: {},
};

export function transitionCaller(state: CallerStateName, event: CallerEventKind): Result<CallerStateName> {
  const next = CALLER_TRANSITIONS[state][event];
  if (next === undefined) {
    return fail(ErrorCodes.CALLER_ILLEGAL_TRANSITION, `a caller in state "${state}" cannot take "${event}"`);
  }
  return ok(next);
}

/** Whether the caller still holds a place in the queue (counted in positions and queue length). */
export function holdsPlace(state: CallerStateName): boolean {
  return state === 'waiting' || state === 'offered' || state === 'virtual-hold' || state === 'callback-dialing';
}

/** Whether the caller is on the line with us (announcements, music on hold, keys). */
export function onTheLine(state: CallerStateName): boolean {
  return state === 'waiting' || state === 'offered';
}

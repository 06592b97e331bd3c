/**
 * Agent state machine. State is data; `transitionAgent` is a pure function over the table below.
 *
 *   logged-out ──ready──▶ available ──reserve──▶ reserved ──ring──▶ ringing ──answer──▶ on-call
 *       ▲                 ▲  │  ▲                  │                  │ │ │                  │
 *       │ logout          │  │  └──release─────────┘                  │ │ └─rona─▶ not-ready  │ call-ended
 *       │                 │  │  └──declined / cancelled───────────────┘ │                     ▼
 *       └─────────────────┤  └─not-ready──▶ not-ready ──ready──▶ available          wrap-up ──wrapup-done──▶ available
 *                         └─────────────────────────────────────────────────────────── (or ready early)
 * (ringing --declined/cancelled/failed--> available; on-call --call-ended--> wrap-up, or available when wrap-up is 0)
 *
 * Requests that cannot apply now are deferred, as agents expect: "not ready" or "log out" pressed during a call
 * takes effect when the call and its wrap-up end. Registration lost during a call logs out after the call.
 */
import { ErrorCodes, fail, ok, type Result } from '../shared/errors.js';

export type AgentStateName = 'logged-out' | 'available' | 'reserved' | 'ringing' | 'on-call' | 'wrap-up' | 'not-ready';

export interface AgentState {
  name: AgentStateName;
  /** Not-ready reason (break, meeting, training, rona, login ...). */
  reason?: string;
  /** The call the agent is reserved for, ringing for, on, or wrapping up. */
  callId?: string;
  sinceMs: number;
  /** Deferred request applied when the current call work ends. */
  pending?: { to: 'not-ready'; reason: string } | { to: 'logged-out'; reason: string };
}

export type AgentEvent =
  | { kind: 'ready' }
  | { kind: 'not-ready'; reason: string }
  | { kind: 'logout'; reason: string }
  | { kind: 'registration-lost' }
  | { kind: 'reserve'; callId: string }
  | { kind: 'release' } // reservation given up before ringing
  | { kind: 'ring' }
  | { kind: 'answer' }
  | { kind: 'rona' }
  | { kind: 'declined' }
  | { kind: 'cancelled' }
  | { kind: 'call-ended'; wrapupMs: number }
  | { kind: 'wrapup-done' };

export type AgentEventKind = AgentEvent['kind'];

type Rule = (s: AgentState, e: AgentEvent, nowMs: number) => AgentState;

const to =
  (name: AgentStateName, keepCall = false): Rule =>
  (s, _e, nowMs) => ({ name, sinceMs: nowMs, ...(keepCall && s.callId ? { callId: s.callId } : {}), ...(s.pending ? { pending: s.pending } : {}) });

const notReady =
  (reasonOf: (e: AgentEvent) => string): Rule =>
  (_s, e, nowMs) => ({ name: 'not-ready', reason: reasonOf(e), sinceMs: nowMs });

const loggedOut: Rule = (_s, _e, nowMs) => ({ name: 'logged-out', sinceMs: nowMs });

/** When call work ends: apply the deferred request, if any, else become available. */
const afterCallWork: Rule = (s, _e, nowMs) => {
  if (s.pending?.to === 'logged-out') return { name: 'logged-out', sinceMs: nowMs };
  if (s.pending?.to === 'not-ready') return { name: 'not-ready', reason: s.pending.reason, sinceMs: nowMs };
  return { name: 'available', sinceMs: nowMs };
};

const defer =
  (pending: (e: AgentEvent) => NonNullable<AgentState['pending']>): Rule =>
  (s, e) => ({ ...s, pending: pending(e) });

const reasonOfEvent = (e: AgentEvent): string => ('reason' in e ? e.reason : 'unknown');

/** The transition table: state × event → next state. A missing cell is an illegal transition. */
export const AGENT_TRANSITIONS: Readonly<Record<AgentStateName, Partial<Record<AgentEventKind, Rule>>>> = {
  'logged-out': {
    ready: to('available'),
    'not-ready': notReady(reasonOfEvent),
    logout: (s) => s,
    'registration-lost': (s) => s,
  },
  available: {
    ready: (s) => s,
    'not-ready': notReady(reasonOfEvent),
    logout: loggedOut,
    'registration-lost': loggedOut,
    reserve: (_s, e, nowMs) => ({ name: 'reserved', callId: (e as { callId: string }).callId, sinceMs: nowMs }),
  },
  reserved: {
    ring: to('ringing', true),
    release: afterCallWork,
    cancelled: afterCallWork,
    declined: afterCallWork,
    'not-ready': defer((e) => ({ to: 'not-ready', reason: reasonOfEvent(e) })),
    logout: defer((e) => ({ to: 'logged-out', reason: reasonOfEvent(e) })),
    'registration-lost': defer(() => ({ to: 'logged-out', reason: 'registration-lost' })),
  },
  ringing: {
    answer: to('on-call', true),
    rona: notReady(() => 'rona'),
    declined: afterCallWork,
    cancelled: afterCallWork,
    release: afterCallWork,
    'not-ready': defer((e) => ({ to: 'not-ready', reason: reasonOfEvent(e) })),
    logout: defer((e) => ({ to: 'logged-out', reason: reasonOfEvent(e) })),
    'registration-lost': defer(() => ({ to: 'logged-out', reason: 'registration-lost' })),
  },
  'on-call': {
    'call-ended': (s, e, nowMs) =>
      (e as { wrapupMs: number }).wrapupMs > 0 ? to('wrap-up', true)(s, e, nowMs) : afterCallWork(s, e, nowMs),
    'not-ready': defer((e) => ({ to: 'not-ready', reason: reasonOfEvent(e) })),
    logout: defer((e) => ({ to: 'logged-out', reason: reasonOfEvent(e) })),
    'registration-lost': defer(() => ({ to: 'logged-out', reason: 'registration-lost' })),
  },
  'wrap-up': {
    'wrapup-done': afterCallWork,
    ready: to('available'),
    'not-ready': notReady(reasonOfEvent),
    logout: loggedOut,
    'registration-lost': loggedOut,
  },
  'not-ready': {
    ready: to('available'),
    'not-ready': notReady(reasonOfEvent),
    logout: loggedOut,
    'registration-lost': loggedOut,
  },
};

export function transitionAgent(state: AgentState, event: AgentEvent, nowMs: number): Result<AgentState> {
  const rule = AGENT_TRANSITIONS[state.name][event.kind];
  if (!rule) {
    return fail(
      ErrorCodes.AGENT_ILLEGAL_TRANSITION,
      `an agent in state "${state.name}" cannot take "${event.kind}"`,
    );
  }
  return ok(rule(state, event, nowMs));
}

/** Whether the state is one in which the agent is doing call work (offer, talk, wrap-up). */
export function isBusy(state: AgentState): boolean {
  return state.name === 'reserved' || state.name === 'ringing' || state.name === 'on-call' || state.name === 'wrap-up';
}

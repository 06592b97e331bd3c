/**
 * The offer state machine: one agent's part in offering one caller (ring-all and ring-progressively make
 * several offers for one caller at once; the first answer wins and the others are cancelled).
 *
 *   reserved ──ring──▶ ringing ──alerting (180/183)──▶ alerting
 *      │                 │                               │
 *      │ release         ├── answer ──▶ answered ◀───────┤ answer
 *      ▼                 ├── decline (486/603) ─▶ declined ◀─┤
 *   released             ├── fail (timeout, 4xx/5xx) ─▶ failed ◀─┤
 *                        ├── timeout (RONA) ─▶ rona ◀────────┤
 *                        └── cancel ─▶ cancelled ◀───────────┘  (caller gone, another agent won, exit)
 *
 * `reserved` is the callback case: the agent is held while we dial the caller, and rung once the caller answers.
 * Every state but reserved, ringing and alerting is final; a telephony outcome arriving for a final offer (an
 * answer crossing our CANCEL) is stale and its leg is dropped.
 */
import { ErrorCodes, fail, ok, type Result } from '../shared/errors.js';

export type OfferStateName = 'reserved' | 'ringing' | 'alerting' | 'answered' | 'declined' | 'failed' | 'rona' | 'cancelled' | 'released';
export type OfferEventKind = 'ring' | 'alerting' | 'answer' | 'decline' | 'fail' | 'timeout' | 'cancel' | 'release';

export const OFFER_TRANSITIONS: Readonly<Record<OfferStateName, Partial<Record<OfferEventKind, OfferStateName>>>> = {
  reserved: { ring: 'ringing', release: 'released', cancel: 'cancelled' },
  ringing: { alerting: 'alerting', answer: 'answered', decline: 'declined', fail: 'failed', timeout: 'rona', cancel: 'cancelled' },
  alerting: { alerting: 'alerting', answer: 'answered', decline: 'declined', fail: 'failed', timeout: 'rona', cancel: 'cancelled' },
  answered: {},
  declined: {},
  failed: {},
  rona: {},
  cancelled: {},
  released: {},
};

export function transitionOffer(state: OfferStateName, event: OfferEventKind): Result<OfferStateName> {
  const next = OFFER_TRANSITIONS[state][event];
  if (next === undefined) {
    return fail(ErrorCodes.OFFER_ILLEGAL_TRANSITION, `an offer in state "${state}" cannot take "${event}"`);
  }
  return ok(next);
}

export function offerLive(state: OfferStateName): boolean {
  return state === 'reserved' || state === 'ringing' || state === 'alerting';
}

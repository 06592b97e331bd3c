/** Every row of the caller-in-queue and offer tables, and that nothing else is allowed. */
import { describe, expect, it } from 'vitest';
import { CALLER_TRANSITIONS, transitionCaller, type CallerEventKind } from '../../../src/domain/acd/caller-state.js';
import { OFFER_TRANSITIONS, transitionOffer, type OfferEventKind, type OfferStateName } from '../../../src/domain/acd/offer-state.js';
import type { CallerStateName } from '../../../src/domain/acd/model.js';

const CALLER_EVENTS: CallerEventKind[] = ['offer', 'offer-failed', 'answer', 'hangup', 'exit', 'move', 'accept-callback', 'reserve-callback', 'callback-answered', 'callback-failed', 'give-up'];
const CALLER_EXPECTED: Record<CallerStateName, Partial<Record<CallerEventKind, CallerStateName>>> = {
  waiting: { offer: 'offered', hangup: 'abandoned', exit: 'exited', move: 'waiting', 'accept-callback': 'virtual-hold' },
  offered: { answer: 'answered', 'offer-failed': 'waiting', hangup: 'abandoned', exit: 'exited', move: 'waiting' },
  'virtual-hold': { 'reserve-callback': 'callback-dialing', 'give-up': 'exited', hangup: 'virtual-hold' },
  'callback-dialing': { 'callback-answered': 'offered', 'callback-failed': 'virtual-hold', 'give-up': 'exited', hangup: 'callback-dialing' },
  answered: {},
  abandoned: {},
  exited: {},
};

const OFFER_EVENTS: OfferEventKind[] = ['ring', 'alerting', 'answer', 'decline', 'fail', 'timeout', 'cancel', 'release'];
const OFFER_EXPECTED: Record<OfferStateName, Partial<Record<OfferEventKind, OfferStateName>>> = {
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

describe('caller-in-queue table', () => {
  for (const s of Object.keys(CALLER_TRANSITIONS) as CallerStateName[]) {
    for (const e of CALLER_EVENTS) {
      const want = CALLER_EXPECTED[s][e];
      it(`${s} × ${e} → ${want ?? 'illegal'}`, () => {
        const r = transitionCaller(s, e);
        if (want === undefined) expect(!r.ok && r.error.code).toBe('HOTLINE_E_CALLER_ILLEGAL_TRANSITION');
        else expect(r.ok && r.value).toBe(want);
      });
    }
  }
  it('has exactly these rows', () => {
    for (const s of Object.keys(CALLER_EXPECTED) as CallerStateName[]) expect(Object.keys(CALLER_TRANSITIONS[s]).sort()).toEqual(Object.keys(CALLER_EXPECTED[s]).sort());
  });
});

describe('offer table', () => {
  for (const s of Object.keys(OFFER_TRANSITIONS) as OfferStateName[]) {
    for (const e of OFFER_EVENTS) {
      const want = OFFER_EXPECTED[s][e];
      it(`${s} × ${e} → ${want ?? 'illegal'}`, () => {
        const r = transitionOffer(s, e);
        if (want === undefined) expect(!r.ok && r.error.code).toBe('HOTLINE_E_OFFER_ILLEGAL_TRANSITION');
        else expect(r.ok && r.value).toBe(want);
      });
    }
  }
  it('has exactly these rows', () => {
    for (const s of Object.keys(OFFER_EXPECTED) as OfferStateName[]) expect(Object.keys(OFFER_TRANSITIONS[s]).sort()).toEqual(Object.keys(OFFER_EXPECTED[s]).sort());
  });
});

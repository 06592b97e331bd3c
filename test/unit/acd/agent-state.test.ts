import { describe, expect, it } from 'vitest';
import { AGENT_TRANSITIONS, transitionAgent, type AgentEvent, type AgentEventKind, type AgentState, type AgentStateName } from '../../../src/domain/acd/agent-state.js';

const EVENTS: Record<AgentEventKind, AgentEvent> = {
  ready: { kind: 'ready' },
  'not-ready': { kind: 'not-ready', reason: 'break' },
  logout: { kind: 'logout', reason: 'api' },
  'registration-lost': { kind: 'registration-lost' },
  reserve: { kind: 'reserve', callId: 'c1' },
  release: { kind: 'release' },
  ring: { kind: 'ring' },
  answer: { kind: 'answer' },
  rona: { kind: 'rona' },
  declined: { kind: 'declined' },
  cancelled: { kind: 'cancelled' },
  'call-ended': { kind: 'call-ended', wrapupMs: 5000 },
  'wrapup-done': { kind: 'wrapup-done' },
};

/** Every legal row: (state, event) → expected next state name. Anything not here must be rejected. */
const EXPECTED: Record<AgentStateName, Partial<Record<AgentEventKind, AgentStateName>>> = {
  'logged-out': { ready: 'available', 'not-ready': 'not-ready', logout: 'logged-out', 'registration-lost': 'logged-out' },
  available: { ready: 'available', 'not-ready': 'not-ready', logout: 'logged-out', 'registration-lost': 'logged-out', reserve: 'reserved' },
  reserved: { ring: 'ringing', release: 'available', cancelled: 'available', declined: 'available', 'not-ready': 'reserved', logout: 'reserved', 'registration-lost': 'reserved' },
  ringing: { answer: 'on-call', rona: 'not-ready', declined: 'available', cancelled: 'available', release: 'available', 'not-ready': 'ringing', logout: 'ringing', 'registration-lost': 'ringing' },
  'on-call': { 'call-ended': 'wrap-up', 'not-ready': 'on-call', logout: 'on-call', 'registration-lost': 'on-call' },
  'wrap-up': { 'wrapup-done': 'available', ready: 'available', 'not-ready': 'not-ready', logout: 'logged-out', 'registration-lost': 'logged-out' },
  'not-ready': { ready: 'available', 'not-ready': 'not-ready', logout: 'logged-out', 'registration-lost': 'logged-out' },
};

const stateOf = (name: AgentStateName): AgentState => ({ name, sinceMs: 0, ...(name === 'reserved' || name === 'ringing' || name === 'on-call' || name === 'wrap-up' ? { callId: 'c1' } : {}) });

describe('agent state table', () => {
  const states = Object.keys(AGENT_TRANSITIONS) as AgentStateName[];
  for (const s of states) {
    for (const kind of Object.keys(EVENTS) as AgentEventKind[]) {
      const expected = EXPECTED[s][kind];
      it(`${s} × ${kind} → ${expected ?? 'illegal'}`, () => {
        const res = transitionAgent(stateOf(s), EVENTS[kind], 1000);
        if (expected === undefined) {
          expect(res.ok).toBe(false);
          if (!res.ok) expect(res.error.code).toBe('HOTLINE_E_AGENT_ILLEGAL_TRANSITION');
        } else {
          expect(res.ok).toBe(true);
          if (res.ok) expect(res.value.name).toBe(expected);
        }
      });
    }
  }

  it('the table has exactly the expected rows', () => {
    for (const s of states) expect(Object.keys(AGENT_TRANSITIONS[s]).sort()).toEqual(Object.keys(EXPECTED[s]).sort());
  });

  it('RONA puts the agent not-ready with reason rona', () => {
    const res = transitionAgent(stateOf('ringing'), { kind: 'rona' }, 5);
    expect(res.ok && res.value).toEqual({ name: 'not-ready', reason: 'rona', sinceMs: 5 });
  });

  it('a not-ready request during a call is applied after wrap-up', () => {
    let s = stateOf('on-call');
    for (const e of [EVENTS['not-ready'], EVENTS['call-ended'], EVENTS['wrapup-done']]) {
      const r = transitionAgent(s, e, 10);
      if (!r.ok) throw new Error(r.error.message);
      s = r.value;
    }
    expect(s).toEqual({ name: 'not-ready', reason: 'break', sinceMs: 10 });
  });

  it('registration lost while ringing logs out once the offer ends', () => {
    let s = stateOf('ringing');
    for (const e of [EVENTS['registration-lost'], EVENTS.cancelled]) {
      const r = transitionAgent(s, e, 10);
      if (!r.ok) throw new Error(r.error.message);
      s = r.value;
    }
    expect(s.name).toBe('logged-out');
  });

  it('call-ended without wrap-up time goes straight to available', () => {
    const r = transitionAgent(stateOf('on-call'), { kind: 'call-ended', wrapupMs: 0 }, 1);
    expect(r.ok && r.value.name).toBe('available');
  });

  it('reserve records the call id, ring keeps it', () => {
    const r1 = transitionAgent(stateOf('available'), { kind: 'reserve', callId: 'c9' }, 1);
    if (!r1.ok) throw new Error('reserve');
    const r2 = transitionAgent(r1.value, { kind: 'ring' }, 2);
    expect(r2.ok && r2.value.callId).toBe('c9');
  });
});

/**
 * Reservation is atomic, proven by brute force: fast-check interleaves random arrivals, answers, declines,
 * hang-ups, RONAs (time passing), registrations, agent state requests, keys and callback outcomes, and after
 * every step checks that no agent is double-booked and no caller is offered twice (ring-all aside), against
 * both the core's own view and what it told the telephony. At the end every caller must have exactly one
 * outcome (answered, abandoned, exited) and every agent must be in a legal resting state.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AcdCommand } from '../../../src/domain/acd/core/types.js';
import type { QueueConfig } from '../../../src/domain/acd/model.js';
import { CoreHarness, agent, queue } from './core-harness.js';

const trunk = { host: '127.0.0.1', port: 5090, transport: 'udp' as const };
const QUEUES: QueueConfig[] = [
  queue('sales', { skills: { sales: 6 }, widening: [{ afterSec: 20, minLevel: 1 }], maxWaitSec: 60, onMaxWait: { kind: 'queue', queueId: 'support', prompts: [] }, sticky: { withinDays: 1, waitSec: 10 }, wrapupSec: 5, ringTimeoutSec: 8 }),
  queue('support', { requiredSkills: ['support'], strategy: 'ring-all', maxLength: 4, wrapupSec: 3, ringTimeoutSec: 6, exitKey: { digit: '0', exit: { kind: 'flow', node: 'menu', prompts: [] } } }),
  queue('vip', {
    skills: { sales: 8 },
    group: 'seniors',
    strategy: 'ring-progressively',
    ringProgressively: { initialAgents: 1, addAgents: 1, everySec: 3 },
    ringTimeoutSec: 10,
    widening: [{ afterSec: 15, anyAgentInGroup: true }],
    joinWhenEmpty: false,
    leaveWhenEmpty: true,
    onEmpty: { kind: 'queue', queueId: 'sales', prompts: [] },
    callback: { key: '1', offerAfterSec: 5, offerEverySec: 10, maxAttempts: 2, retryAfterSec: 20, dialTimeoutSec: 10, expireAfterSec: 600, trunk },
  }),
  queue('rr', { requiredSkills: ['support'], strategy: 'round-robin', declineBackoffSec: 5, maxWaitSec: 90, onMaxWait: { kind: 'callback', prompts: [] }, callback: { key: '1', offerAfterSec: 0, offerEverySec: 30, maxAttempts: 1, retryAfterSec: 10, dialTimeoutSec: 10, expireAfterSec: 300, trunk } }),
];
const AGENTS = [
  agent('a1', { sales: 9 }, { groups: ['seniors'] }),
  agent('a2', { sales: 6, support: 4 }),
  agent('a3', { support: 8 }, { groups: ['seniors'] }),
  agent('a4', { sales: 3, support: 6 }),
  agent('a5', { sales: 8, support: 8 }, { readyOnRegister: false }),
];
const NUMBERS = ['13900000001', '13900000002', '13900000003', 'anonymous'];

type Action =
  | { k: 'arrive'; queue: number; number: number; cls: number }
  | { k: 'answer' | 'decline' | 'fail' | 'alert'; pick: number }
  | { k: 'hangup'; pick: number }
  | { k: 'end'; pick: number }
  | { k: 'time'; ms: number }
  | { k: 'register'; agent: number; up: boolean }
  | { k: 'request'; agent: number; what: number }
  | { k: 'digit'; pick: number; digit: string }
  | { k: 'dial'; pick: number; answered: boolean }
  | { k: 'disposition'; agent: number };

const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ k: fc.constant('arrive' as const), queue: fc.nat(3), number: fc.nat(3), cls: fc.nat(2) }) },
  { weight: 4, arbitrary: fc.record({ k: fc.constantFrom('answer' as const, 'decline' as const, 'fail' as const, 'alert' as const), pick: fc.nat(20) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('hangup' as const), pick: fc.nat(20) }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('end' as const), pick: fc.nat(20) }) },
  { weight: 4, arbitrary: fc.record({ k: fc.constant('time' as const), ms: fc.integer({ min: 0, max: 25_000 }) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('register' as const), agent: fc.nat(4), up: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('request' as const), agent: fc.nat(4), what: fc.nat(2) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('digit' as const), pick: fc.nat(20), digit: fc.constantFrom('0', '1', '5') }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('dial' as const), pick: fc.nat(20), answered: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('disposition' as const), agent: fc.nat(4) }) },
);

/** What the core told the telephony, kept as the telephony would. */
class World {
  readonly rings = new Map<string, Set<string>>(); // callId → agents whose phone rings
  readonly calls = new Map<string, string>(); // callId → agent, bridged
  readonly dials = new Set<string>();
  readonly onLine = new Set<string>(); // callers whose leg is up (not virtual hold)
  readonly joined = new Set<string>();
  readonly outcomes = new Map<string, string[]>();

  apply(cmds: readonly AcdCommand[]): string[] {
    const problems: string[] = [];
    for (const c of cmds) {
      switch (c.kind) {
        case 'ring': {
          for (const [callId, agents] of this.rings) if (agents.has(c.agentId)) problems.push(`agent ${c.agentId} rung for ${c.callId} while ringing for ${callId}`);
          for (const [callId, a] of this.calls) if (a === c.agentId) problems.push(`agent ${c.agentId} rung for ${c.callId} while talking on ${callId}`);
          const set = this.rings.get(c.callId) ?? new Set();
          set.add(c.agentId);
          this.rings.set(c.callId, set);
          break;
        }
        case 'cancel-ring':
          this.rings.get(c.callId)?.delete(c.agentId);
          break;
        case 'bridge':
          this.rings.delete(c.callId);
          this.calls.set(c.callId, c.agentId);
          break;
        case 'leave':
          this.rings.delete(c.callId);
          this.onLine.delete(c.callId);
          break;
        case 'dial':
          this.dials.add(c.callId);
          break;
        case 'cancel-dial':
          this.dials.delete(c.callId);
          break;
        case 'emit': {
          const e = c.event;
          const final = e.type === 'call.answered' || e.type === 'call.abandoned' || (e.type === 'queue.exited' && e.action !== 'queue');
          if (final) this.outcomes.set(e.callId, [...(this.outcomes.get(e.callId) ?? []), e.type]);
          break;
        }
        case 'fault':
          problems.push(`fault: ${c.message}`);
          break;
        default:
          break;
      }
    }
    for (const [callId, agents] of this.rings) if (agents.size === 0) this.rings.delete(callId);
    return problems;
  }
}

function run(actions: readonly Action[]): void {
  const h = new CoreHarness(QUEUES, AGENTS, { canDial: true });
  const w = new World();
  let n = 0;
  const step = (cmds: AcdCommand[]): void => {
    const problems = [...w.apply(cmds), ...h.core.invariants()];
    expect(problems).toEqual([]);
    for (const [callId, agents] of w.rings) {
      const q = h.core.caller(callId)?.queueId;
      if (agents.size > 1) expect(['support', 'vip']).toContain(q);
    }
  };
  const send = (input: Parameters<CoreHarness['send']>[0]): void => step(h.send(input));
  const pick = <T>(items: readonly T[], i: number): T | undefined => (items.length === 0 ? undefined : items[i % items.length]);
  const ringing = (): Array<[string, string]> => [...w.rings].flatMap(([callId, agents]) => [...agents].map((a) => [callId, a] as [string, string]));

  const doAction = (a: Action): void => {
    switch (a.k) {
      case 'arrive': {
        const callId = `c${n++}`;
        w.joined.add(callId);
        w.onLine.add(callId);
        const cls = ['vip', 'new', undefined][a.cls];
        send({ kind: 'caller-joins', callId, queueId: QUEUES[a.queue]!.id, callerNumber: NUMBERS[a.number]!, priority: 0, dialledNumber: '4008208820', ...(cls ? { attrs: { callerClass: cls } } : {}) });
        return;
      }
      case 'answer':
      case 'decline':
      case 'fail':
      case 'alert': {
        const r = pick(ringing(), a.pick);
        if (!r) return;
        const [callId, agentId] = r;
        if (a.k === 'answer') {
          w.rings.get(callId)?.delete(agentId);
          send({ kind: 'ring-answered', callId, agentId });
        }
        else if (a.k === 'alert') send({ kind: 'ring-alerting', callId, agentId });
        else {
          w.rings.get(callId)?.delete(agentId); // the phone said no: that ring is over
          send({ kind: 'ring-failed', callId, agentId, outcome: a.k === 'decline' ? 'declined' : 'failed', sipStatus: a.k === 'decline' ? 486 : 500 });
        }
        return;
      }
      case 'hangup': {
        const callId = pick([...w.onLine], a.pick);
        if (!callId) return;
        w.onLine.delete(callId);
        const agentId = w.calls.get(callId);
        if (agentId) {
          w.calls.delete(callId);
          send({ kind: 'call-ended', callId, agentId });
        } else send({ kind: 'caller-hangs-up', callId });
        return;
      }
      case 'end': {
        const c = pick([...w.calls], a.pick);
        if (!c) return;
        w.calls.delete(c[0]);
        w.onLine.delete(c[0]);
        send({ kind: 'call-ended', callId: c[0], agentId: c[1] });
        return;
      }
      case 'time':
        h.now += a.ms;
        send({ kind: 'tick' });
        return;
      case 'register':
        send({ kind: 'registration', agentId: AGENTS[a.agent]!.id, registered: a.up });
        return;
      case 'request': {
        const request = [{ state: 'ready' as const }, { state: 'not-ready' as const, reason: 'break' }, { state: 'logged-out' as const }][a.what]!;
        send({ kind: 'agent-request', agentId: AGENTS[a.agent]!.id, request });
        return;
      }
      case 'digit': {
        const callId = pick([...w.onLine].filter((id) => !w.calls.has(id)), a.pick);
        if (callId) send({ kind: 'caller-digit', callId, digit: a.digit });
        return;
      }
      case 'dial': {
        const callId = pick([...w.dials], a.pick);
        if (!callId) return;
        w.dials.delete(callId);
        if (a.answered) {
          w.onLine.add(callId);
          send({ kind: 'callback-answered', callId });
        } else send({ kind: 'callback-failed', callId, outcome: 'no-answer' });
        return;
      }
      case 'disposition':
        send({ kind: 'disposition', agentId: AGENTS[a.agent]!.id, code: 'resolved' });
        return;
    }
  };

  for (const a of actions) doAction(a);

  // Drain: everyone logs in and is ready, every ring and callback is answered, every call ends, time passes.
  for (const a of AGENTS) {
    send({ kind: 'registration', agentId: a.id, registered: true });
    send({ kind: 'agent-request', agentId: a.id, request: { state: 'ready' } });
  }
  for (let round = 0; round < 200 && (w.rings.size > 0 || w.calls.size > 0 || w.dials.size > 0 || h.core.waiting().length > 0); round += 1) {
    for (const [callId, agentId] of ringing()) {
      w.rings.get(callId)?.delete(agentId);
      send({ kind: 'ring-answered', callId, agentId });
    }
    for (const callId of [...w.dials]) {
      w.dials.delete(callId);
      w.onLine.add(callId);
      send({ kind: 'callback-answered', callId });
    }
    for (const [callId, agentId] of [...w.calls]) {
      w.calls.delete(callId);
      send({ kind: 'call-ended', callId, agentId });
    }
    h.now += 10_000;
    send({ kind: 'tick' });
    for (const a of AGENTS) if (h.core.agent(a.id)?.state.name === 'not-ready') send({ kind: 'agent-request', agentId: a.id, request: { state: 'ready' } });
  }
  h.now += 3_600_000;
  send({ kind: 'tick' });

  expect(h.core.waiting()).toEqual([]);
  expect(w.rings.size + w.calls.size + w.dials.size).toBe(0);
  for (const callId of w.joined) expect(w.outcomes.get(callId), callId).toHaveLength(1);
  for (const a of AGENTS) expect(['available', 'not-ready', 'logged-out']).toContain(h.core.agent(a.id)?.state.name);
}

describe('reservation is atomic (property)', () => {
  it('under random interleavings: never double-booked, every caller resolved once, agents end in legal states', () => {
    fc.assert(
      fc.property(fc.array(action, { minLength: 1, maxLength: 80 }), (actions) => run(actions)),
      { numRuns: 300, seed: 20260105 },
    );
  });
});

import { describe, expect, it } from 'vitest';
import type { Strategy } from '../../../src/domain/acd/model.js';
import { CoreHarness, agent, queue } from './core-harness.js';

const agents = ['a1', 'a2', 'a3', 'a4'].map((id) => agent(id, { sales: 5 }));
const build = (strategy: Strategy, extra = {}, opts = {}) => new CoreHarness([queue('q', { requiredSkills: ['sales'], strategy, ...extra })], agents, opts);

/** Serves one call end to end (answered by the first agent rung) and returns who was rung. */
function serve(h: CoreHarness, callId: string, talkMs = 1000): string[] {
  const rung = h.ringsIn(h.join(callId, 'q')).map((r) => r.agentId);
  if (rung[0]) {
    h.answer(callId, rung[0]);
    h.now += talkMs;
    h.end(callId, rung[0]);
  }
  return rung;
}

describe('strategies', () => {
  it('longest-idle: the agent available the longest', () => {
    const h = build('longest-idle');
    h.login('a3', 'a1', 'a4', 'a2');
    expect(serve(h, 'c1')).toEqual(['a3']);
    expect(serve(h, 'c2')).toEqual(['a1']);
    expect(serve(h, 'c3')).toEqual(['a4']);
    expect(serve(h, 'c4')).toEqual(['a2']);
    expect(serve(h, 'c5')).toEqual(['a3']); // back at the end of the line after its call
  });

  it('ring-all: every eligible free agent rings; the first answer wins, the others are cancelled', () => {
    const h = build('ring-all');
    h.login('a1', 'a2', 'a3');
    const cmds = h.join('c1', 'q');
    expect(h.ringsIn(cmds).map((r) => r.agentId)).toEqual(['a1', 'a2', 'a3']);
    expect(h.events('agent.offered').map((e) => e.attempt)).toEqual([1, 1, 1]);
    expect(h.core.invariants()).toEqual([]);
    const ans = h.answer('c1', 'a2');
    expect(ans.filter((c) => c.kind === 'cancel-ring').map((c) => (c as { agentId: string }).agentId).sort()).toEqual(['a1', 'a3']);
    expect(ans.find((c) => c.kind === 'bridge')).toMatchObject({ agentId: 'a2' });
    expect([h.state('a1'), h.state('a2'), h.state('a3')]).toEqual(['available', 'on-call', 'available']);
    // A second answer that crossed the cancel is dropped.
    expect(h.answer('c1', 'a3')).toContainEqual({ kind: 'drop-agent-leg', callId: 'c1', agentId: 'a3' });
    expect(h.core.invariants()).toEqual([]);
  });

  it('ring-all: nobody answers → RONA for each, the caller waits for the next agent', () => {
    const h = build('ring-all');
    h.login('a1', 'a2');
    h.join('c1', 'q');
    h.advance(15_000);
    expect(h.events('agent.rona').map((e) => e.agentId).sort()).toEqual(['a1', 'a2']);
    expect(h.core.caller('c1')?.state).toBe('waiting');
    h.login('a3');
    expect(h.rings('c1')).toEqual(['a1', 'a2', 'a3']);
  });

  it('round-robin: rotates through the members from the one after the last offered', () => {
    const h = build('round-robin');
    h.login('a1', 'a2', 'a3', 'a4');
    expect([serve(h, 'c1'), serve(h, 'c2'), serve(h, 'c3'), serve(h, 'c4'), serve(h, 'c5')].flat()).toEqual(['a1', 'a2', 'a3', 'a4', 'a1']);
    // a2 busy: the turn passes to a3.
    h.join('x', 'q');
    expect(h.rings('x')).toEqual(['a2']);
    expect(serve(h, 'c6')).toEqual(['a3']);
  });

  it('top-down (linear): always the first free member in order', () => {
    const h = build('top-down', { members: ['a3', 'a1', 'a2'] });
    h.login('a1', 'a2', 'a3', 'a4');
    expect(serve(h, 'c1')).toEqual(['a3']);
    expect(serve(h, 'c2')).toEqual(['a3']);
    h.join('x', 'q');
    expect(serve(h, 'c3')).toEqual(['a1']);
    // a4 is not a member: never offered.
    h.join('y', 'q');
    h.join('z', 'q');
    expect(h.rings().includes('a4')).toBe(false);
  });

  it('fewest-calls: the agent with the fewest answered calls', () => {
    const h = build('fewest-calls');
    h.login('a1', 'a2');
    expect(serve(h, 'c1')).toEqual(['a1']);
    expect(serve(h, 'c2')).toEqual(['a2']);
    expect(serve(h, 'c3')).toEqual(['a1']);
    h.login('a3');
    expect(serve(h, 'c4')).toEqual(['a3']); // 0 calls, though it was idle the shortest
  });

  it('least-talk-time: the agent with the least total talk time', () => {
    const h = build('least-talk-time');
    h.login('a1', 'a2');
    expect(serve(h, 'c1', 60_000)).toEqual(['a1']);
    expect(serve(h, 'c2', 5_000)).toEqual(['a2']);
    expect(serve(h, 'c3', 5_000)).toEqual(['a2']);
    expect(serve(h, 'c4', 5_000)).toEqual(['a2']);
    expect(h.core.agent('a2')?.talkMs).toBe(15_000);
    expect(serve(h, 'c5')).toEqual(['a2']);
  });

  it('random: uniform among the eligible, from the injected source', () => {
    let u = 0.99;
    const h = build('random', {}, { random: () => u });
    h.login('a1', 'a2', 'a3', 'a4');
    expect(serve(h, 'c1')).toEqual(['a4']);
    u = 0;
    expect(serve(h, 'c2')).toEqual(['a1']);
    u = 0.5; // the eligible, in idle order, are now a2, a3, a4, a1
    expect(serve(h, 'c3')).toEqual(['a4']);
  });

  it('ring-progressively: starts with N agents in member order, adds more every few seconds', () => {
    const h = build('ring-progressively', { ringProgressively: { initialAgents: 1, addAgents: 2, everySec: 5 }, ringTimeoutSec: 30 });
    h.login('a1', 'a2', 'a3', 'a4');
    expect(h.ringsIn(h.join('c1', 'q')).map((r) => r.agentId)).toEqual(['a1']);
    expect(h.ringsIn(h.advance(5000)).map((r) => r.agentId)).toEqual(['a2', 'a3']);
    expect(h.ringsIn(h.advance(5000)).map((r) => r.agentId)).toEqual(['a4']);
    expect(h.core.invariants()).toEqual([]);
    const ans = h.answer('c1', 'a3');
    expect(ans.filter((c) => c.kind === 'cancel-ring')).toHaveLength(3);
    expect(h.ringsIn(h.advance(5000))).toEqual([]);
  });
});

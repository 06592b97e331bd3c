import { describe, expect, it } from 'vitest';
import { CoreHarness, agent, queue } from './core-harness.js';

describe('ACD core: offers, answers, RONA, declines, abandons', () => {
  const build = () => new CoreHarness([queue('sales', { requiredSkills: ['sales'], wrapupSec: 10 })], [agent('a1', { sales: 5 }), agent('a2', { sales: 5 }), agent('a3', { support: 5 })]);

  it('offers a caller to the longest-idle agent, bridges on answer, wrap-up then available', () => {
    const h = build();
    h.login('a1', 'a2');
    const cmds = h.join('c1', 'sales');
    expect(h.ringsIn(cmds)).toEqual([{ callId: 'c1', agentId: 'a1' }]);
    expect(cmds.find((c) => c.kind === 'moh')).toMatchObject({ file: 'moh/default.wav' });
    expect(h.state('a1')).toBe('ringing');
    h.now += 3000;
    const ans = h.answer('c1', 'a1');
    expect(ans.find((c) => c.kind === 'bridge')).toMatchObject({ callId: 'c1', agentId: 'a1', queueId: 'sales' });
    expect(h.events('call.answered')[0]).toMatchObject({ waitMs: 3000, ringMs: 3000 });
    expect(h.state('a1')).toBe('on-call');
    h.now += 60_000;
    h.end('c1', 'a1');
    expect(h.state('a1')).toBe('wrap-up');
    h.advance(10_000);
    expect(h.state('a1')).toBe('available');
    expect(h.events('agent.wrapup-ended')[0]).toMatchObject({ wrapupMs: 10_000 });
    expect(h.core.agent('a1')).toMatchObject({ callsAnswered: 1, talkMs: 60_000 });
    expect(h.core.invariants()).toEqual([]);
  });

  it('RONA: not-ready (rona) after the ring timeout, the next agent is rung', () => {
    const h = build();
    h.login('a1', 'a2');
    h.join('c1', 'sales');
    const cmds = h.advance(15_000);
    expect(cmds.find((c) => c.kind === 'cancel-ring')).toMatchObject({ agentId: 'a1' });
    expect(h.core.agent('a1')?.state).toMatchObject({ name: 'not-ready', reason: 'rona' });
    expect(h.events('agent.rona')[0]).toMatchObject({ agentId: 'a1', ringMs: 15_000 });
    expect(h.ringsIn(cmds)).toEqual([{ callId: 'c1', agentId: 'a2' }]);
    expect(h.core.invariants()).toEqual([]);
  });

  it('a decline backs the agent off for that call only', () => {
    const h = build();
    h.login('a1');
    h.join('c1', 'sales');
    h.send({ kind: 'ring-failed', callId: 'c1', agentId: 'a1', outcome: 'declined', sipStatus: 486 });
    expect(h.state('a1')).toBe('available');
    expect(h.rings('c1')).toEqual(['a1']);
    expect(h.events('agent.declined')[0]).toMatchObject({ sipStatus: 486 });
    h.join('c2', 'sales');
    expect(h.rings('c2')).toEqual(['a1']);
    h.answer('c2', 'a1');
    h.end('c2', 'a1');
    h.advance(10_000);
    expect(h.rings('c1')).toEqual(['a1']); // still backed off (60 s)
    h.advance(50_000);
    expect(h.rings('c1')).toEqual(['a1', 'a1']);
  });

  it('a caller hanging up while ringing is an abandon; the agent is free again, no RONA', () => {
    const h = build();
    h.login('a1');
    h.join('c1', 'sales');
    h.now += 2000;
    const cmds = h.hangup('c1');
    expect(cmds.find((c) => c.kind === 'cancel-ring')).toMatchObject({ agentId: 'a1' });
    expect(h.events('call.abandoned')[0]).toMatchObject({ waitMs: 2000, whileRinging: true, position: 1 });
    expect(h.state('a1')).toBe('available');
    h.advance(20_000);
    expect(h.events('agent.rona')).toEqual([]);
  });

  it('a late answer after the caller left is dropped', () => {
    const h = build();
    h.login('a1');
    h.join('c1', 'sales');
    h.hangup('c1');
    const cmds = h.answer('c1', 'a1');
    expect(cmds).toContainEqual({ kind: 'drop-agent-leg', callId: 'c1', agentId: 'a1' });
    expect(h.state('a1')).toBe('available');
  });

  it('serves higher priority first, FIFO within a priority', () => {
    const h = build();
    h.join('old', 'sales');
    h.now += 10;
    h.join('vip', 'sales', { priority: 10 });
    h.now += 10;
    h.join('new', 'sales');
    expect(h.core.waiting('sales').map((e) => e.callId)).toEqual(['vip', 'old', 'new']);
    expect(h.core.position('old')).toBe(2);
    h.login('a1', 'a2');
    expect(h.rings()).toEqual(['a1', 'a2']);
    expect(h.of('ring').map((r) => r.callId)).toEqual(['vip', 'old']);
  });

  it('never offers two callers to one agent', () => {
    const h = build();
    h.login('a1');
    h.join('c1', 'sales');
    h.join('c2', 'sales');
    h.join('c3', 'sales');
    expect(h.rings()).toEqual(['a1']);
    expect(h.core.invariants()).toEqual([]);
  });

  it('not-ready during a call waits for the end of wrap-up', () => {
    const h = build();
    h.login('a1');
    h.join('c1', 'sales');
    h.answer('c1', 'a1');
    const res = h.request('a1', { state: 'not-ready', reason: 'break' });
    expect(res?.ok && res.value.state).toMatchObject({ name: 'on-call', pending: { to: 'not-ready', reason: 'break' } });
    h.end('c1', 'a1');
    h.advance(10_000);
    expect(h.core.agent('a1')?.state).toMatchObject({ name: 'not-ready', reason: 'break' });
  });
});

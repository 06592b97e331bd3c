import { describe, expect, it } from 'vitest';
import { CoreHarness, agent, queue } from './core-harness.js';

describe('skills with proficiency and time-based widening', () => {
  const build = () =>
    new CoreHarness(
      [
        queue('q', {
          skills: { sales: 8 },
          group: 'team',
          widening: [
            { afterSec: 30, minLevel: 5 },
            { afterSec: 60, minLevel: 1 },
            { afterSec: 90, anyAgentInGroup: true },
          ],
        }),
      ],
      [agent('expert', { sales: 9 }), agent('mid', { sales: 6 }), agent('junior', { sales: 2 }), agent('teammate', { support: 4 }, { groups: ['team'] }), agent('outsider', { support: 4 })],
    );

  it('a call needs the minimum level; then ≥ 5 after 30 s, any level after 60 s, any agent of the group after 90 s', () => {
    const h = build();
    h.login('mid', 'junior', 'teammate', 'outsider');
    h.join('c1', 'q');
    expect(h.rings()).toEqual([]);
    expect(h.ringsIn(h.advance(30_000)).map((r) => r.agentId)).toEqual(['mid']);
    h.send({ kind: 'ring-failed', callId: 'c1', agentId: 'mid', outcome: 'declined', sipStatus: 603 });
    expect(h.ringsIn(h.advance(30_000)).map((r) => r.agentId)).toEqual(['junior']);
    h.send({ kind: 'ring-failed', callId: 'c1', agentId: 'junior', outcome: 'declined', sipStatus: 486 });
    expect(h.ringsIn(h.advance(30_000)).map((r) => r.agentId)).toEqual(['teammate']);
    h.send({ kind: 'ring-failed', callId: 'c1', agentId: 'teammate', outcome: 'declined', sipStatus: 486 });
    h.advance(30_000);
    expect(h.rings().includes('outsider')).toBe(false);
  });

  it('an expert is taken at once', () => {
    const h = build();
    h.login('junior', 'expert');
    expect(h.ringsIn(h.join('c1', 'q')).map((r) => r.agentId)).toEqual(['expert']);
  });

  it('an agent coming free takes the caller it is eligible for, not one needing more skill', () => {
    const h = build();
    h.join('old', 'q');
    h.now += 20_000;
    h.join('young', 'q');
    h.now += 15_000; // old has waited 35 s (level ≥ 5 accepted), young 15 s
    h.login('mid');
    expect(h.of('ring').map((r) => r.callId)).toEqual(['old']);
  });
});

describe('caller classes', () => {
  it('map to priority and extra skills', () => {
    const h = new CoreHarness(
      [queue('q', { requiredSkills: ['sales'], callerClasses: { vip: { priority: 10, skills: { vip: 1 } }, new: { skills: { sales: 7 } } } })],
      [agent('a1', { sales: 5 }), agent('a2', { sales: 5, vip: 3 }), agent('a3', { sales: 8 })],
    );
    h.join('plain', 'q');
    h.join('vip', 'q', { attrs: { callerClass: 'vip' } });
    h.join('newbie', 'q', { attrs: { callerClass: 'new' } });
    expect(h.core.waiting('q').map((e) => [e.callId, e.priority])).toEqual([
      ['vip', 10],
      ['plain', 0],
      ['newbie', 0],
    ]);
    h.login('a1');
    expect(h.of('ring').map((r) => `${r.callId}:${r.agentId}`)).toEqual(['plain:a1']);
    h.login('a3');
    expect(h.of('ring').map((r) => `${r.callId}:${r.agentId}`)).toEqual(['plain:a1', 'newbie:a3']);
    h.login('a2');
    expect(h.of('ring').map((r) => `${r.callId}:${r.agentId}`).at(-1)).toBe('vip:a2');
  });

  it('skills named by the flow are required too', () => {
    const h = new CoreHarness([queue('q')], [agent('a1', { sales: 5 }), agent('a2', { cantonese: 4 })]);
    h.login('a1', 'a2');
    h.join('c1', 'q', { attrs: { skills: ['cantonese'] } });
    expect(h.rings('c1')).toEqual(['a2']);
  });
});

describe('sticky agent', () => {
  const build = () =>
    new CoreHarness([queue('q', { sticky: { withinDays: 7, waitSec: 20 } })], [agent('a1', {}), agent('a2', {})]);

  it('a returning caller is offered to its last agent when free', () => {
    const h = build();
    h.login('a1', 'a2');
    h.join('first', 'q', { callerNumber: '13900000001' });
    expect(h.rings('first')).toEqual(['a1']);
    h.answer('first', 'a1');
    h.end('first', 'a1');
    h.now += 86_400_000;
    h.join('again', 'q', { callerNumber: '13900000001' });
    expect(h.rings('again')).toEqual(['a1']); // a2 has been idle longer, but a1 served this caller
  });

  it('waits up to waitSec for the sticky agent, then falls back', () => {
    const h = build();
    h.login('a1', 'a2');
    h.join('first', 'q', { callerNumber: '13900000001' });
    h.answer('first', 'a1');
    h.join('again', 'q', { callerNumber: '13900000001' });
    expect(h.rings('again')).toEqual([]);
    h.advance(10_000);
    expect(h.rings('again')).toEqual([]);
    h.advance(10_000);
    expect(h.rings('again')).toEqual(['a2']);
  });

  it('the sticky agent coming free within the window takes it', () => {
    const h = build();
    h.login('a1', 'a2');
    h.join('first', 'q', { callerNumber: '13900000001' });
    h.answer('first', 'a1');
    h.join('again', 'q', { callerNumber: '13900000001' });
    h.now += 5000;
    h.end('first', 'a1');
    expect(h.rings('again')).toEqual(['a1']);
  });

  it('not beyond withinDays, and not when the agent is logged out', () => {
    const h = build();
    h.login('a1', 'a2');
    h.join('first', 'q', { callerNumber: '13900000001' });
    h.answer('first', 'a1');
    h.end('first', 'a1');
    h.now += 8 * 86_400_000;
    h.join('late', 'q', { callerNumber: '13900000001' });
    expect(h.rings('late')).toEqual(['a2']);
    h.answer('late', 'a2');
    h.end('late', 'a2');
    h.request('a2', { state: 'logged-out' });
    h.join('again', 'q', { callerNumber: '13900000001' });
    expect(h.rings('again')).toEqual(['a1']);
  });
});

describe('agents: decline back-off, registration, reasons, dispositions', () => {
  const build = () => new CoreHarness([queue('q', { wrapupSec: 30, declineBackoffSec: 20, dispositionCodes: ['sale', 'no-sale'] })], [agent('a1', {}, { notReadyReasons: ['break', 'lunch'] }), agent('a2', {}, { readyOnRegister: false })]);

  it('a decline backs off that agent for that caller for declineBackoffSec only', () => {
    const h = build();
    h.login('a1');
    h.join('c1', 'q');
    h.send({ kind: 'ring-failed', callId: 'c1', agentId: 'a1', outcome: 'declined', sipStatus: 603 });
    expect(h.core.caller('c1')?.excludedAgents).toEqual(['a1']);
    h.advance(19_000);
    expect(h.rings('c1')).toEqual(['a1']);
    h.advance(1_000);
    expect(h.rings('c1')).toEqual(['a1', 'a1']);
  });

  it('availability follows registration; a refresh does not undo a log-out', () => {
    const h = build();
    h.login('a1', 'a2');
    expect([h.state('a1'), h.state('a2')]).toEqual(['available', 'logged-out']);
    h.request('a1', { state: 'logged-out' });
    h.send({ kind: 'registration', agentId: 'a1', registered: true });
    expect(h.state('a1')).toBe('logged-out');
    h.send({ kind: 'registration', agentId: 'a1', registered: false });
    h.send({ kind: 'registration', agentId: 'a1', registered: true });
    expect(h.state('a1')).toBe('available');
    expect(h.request('a2', { state: 'ready' })?.ok).toBe(true);
  });

  it('registration lost during a call logs out after the call', () => {
    const h = build();
    h.login('a1');
    h.join('c1', 'q');
    h.answer('c1', 'a1');
    h.send({ kind: 'registration', agentId: 'a1', registered: false });
    expect(h.state('a1')).toBe('on-call');
    h.end('c1', 'a1');
    h.advance(30_000);
    expect(h.state('a1')).toBe('logged-out');
  });

  it('not-ready reason codes come from configuration', () => {
    const h = build();
    h.login('a1');
    const bad = h.request('a1', { state: 'not-ready', reason: 'nap' });
    expect(!bad?.ok && bad?.error).toMatchObject({ code: 'HOTLINE_E_NOT_READY_REASON_INVALID' });
    expect(h.request('a1', { state: 'not-ready', reason: 'lunch' })?.ok).toBe(true);
    expect(h.core.agent('a1')?.state).toMatchObject({ name: 'not-ready', reason: 'lunch' });
  });

  it('disposition codes during the call or wrap-up; ready ends wrap-up', () => {
    const h = build();
    h.login('a1');
    const none = h.send({ kind: 'disposition', agentId: 'a1', code: 'sale' });
    expect(none).toEqual([]);
    expect(h.lastResult?.ok).toBe(false);
    h.join('c1', 'q');
    h.answer('c1', 'a1');
    h.send({ kind: 'disposition', agentId: 'a1', code: 'bogus' });
    expect(!h.lastResult?.ok && h.lastResult?.error.code).toBe('HOTLINE_E_DISPOSITION_INVALID');
    h.end('c1', 'a1');
    h.now += 4000;
    h.send({ kind: 'disposition', agentId: 'a1', code: 'sale', ready: true });
    expect(h.events('agent.disposition')[0]).toMatchObject({ agentId: 'a1', callId: 'c1', queueId: 'q', code: 'sale' });
    expect(h.state('a1')).toBe('available');
    expect(h.events('agent.wrapup-ended')[0]).toMatchObject({ wrapupMs: 4000 });
  });
});

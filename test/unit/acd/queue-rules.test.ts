import { describe, expect, it } from 'vitest';
import { CoreHarness, agent, queue } from './core-harness.js';

describe('queue rules', () => {
  it('max wait → overflow to another queue, keeping priority and the original arrival', () => {
    const h = new CoreHarness(
      [queue('sales', { requiredSkills: ['sales'], maxWaitSec: 60, onMaxWait: { kind: 'queue', queueId: 'support', prompts: ['acd/{lang}/transferring.wav'] } }), queue('support', { requiredSkills: ['support'] })],
      [agent('s1', { sales: 5 }), agent('t1', { support: 5 })],
    );
    h.join('c1', 'sales', { priority: 3 });
    h.now += 10_000;
    h.join('c2', 'support');
    const cmds = h.advance(50_000);
    expect(h.events('queue.exited')[0]).toMatchObject({ callId: 'c1', queueId: 'sales', reason: 'max-wait', action: 'queue', target: 'support', waitMs: 60_000 });
    expect(h.events('queue.joined').at(-1)).toMatchObject({ callId: 'c1', queueId: 'support', position: 1, priority: 3 });
    expect(cmds.find((c) => c.kind === 'play')).toMatchObject({ files: ['acd/zh/transferring.wav'] });
    expect(h.core.caller('c1')).toMatchObject({ queueId: 'support', joinedAtMs: h.now - 60_000 });
    h.login('t1');
    expect(h.rings()).toEqual(['t1']);
    expect(h.of('ring')[0]?.callId).toBe('c1');
    h.answer('c1', 't1');
    expect(h.events('call.answered')[0]).toMatchObject({ queueId: 'support', waitMs: 60_001 }); // login() takes 1 ms
  });

  it('max wait → a flow node (voicemail), with its prompt', () => {
    const h = new CoreHarness([queue('q', { maxWaitSec: 30, onMaxWait: { kind: 'flow', node: 'leave-message', prompts: [] } })], []);
    h.join('c1', 'q');
    const cmds = h.advance(30_000);
    expect(cmds).toContainEqual({ kind: 'leave', callId: 'c1', how: 'flow', node: 'leave-message', files: [] });
    expect(h.events('queue.exited')[0]).toMatchObject({ action: 'flow', target: 'leave-message', reason: 'max-wait' });
    expect(h.core.waiting()).toEqual([]);
  });

  it('max wait while an agent rings: the ring is cancelled and the caller leaves', () => {
    const h = new CoreHarness([queue('q', { maxWaitSec: 10, ringTimeoutSec: 30 })], [agent('a1', {})]);
    h.login('a1');
    h.join('c1', 'q');
    const cmds = h.advance(10_000);
    expect(cmds).toContainEqual({ kind: 'cancel-ring', callId: 'c1', agentId: 'a1' });
    expect(cmds.find((c) => c.kind === 'leave')).toMatchObject({ how: 'hangup', cause: 'max-wait' });
    expect(h.state('a1')).toBe('available');
  });

  it('max length: callers beyond it take the full exit', () => {
    const h = new CoreHarness([queue('q', { maxLength: 2 })], []);
    h.join('c1', 'q');
    h.join('c2', 'q');
    const cmds = h.join('c3', 'q');
    expect(cmds.find((c) => c.kind === 'leave')).toMatchObject({ how: 'hangup', cause: 'queue-full', files: ['acd/zh/queue-full.wav'] });
    expect(h.events('queue.joined').map((e) => e.position)).toEqual([1, 2, 3]);
    expect(h.events('queue.exited')[0]).toMatchObject({ callId: 'c3', reason: 'full', waitMs: 0 });
    expect(h.core.waiting().map((e) => e.callId)).toEqual(['c1', 'c2']);
  });

  it('join-when-empty off: no member logged in → the empty exit; a not-ready member counts as logged in', () => {
    const h = new CoreHarness([queue('q', { requiredSkills: ['x'], joinWhenEmpty: false, onEmpty: { kind: 'queue', queueId: 'other', prompts: [] } }), queue('other')], [agent('a1', { x: 3 }), agent('b1', { y: 1 })]);
    h.login('b1'); // logged in, but not a member
    h.join('c1', 'q');
    expect(h.events('queue.exited')[0]).toMatchObject({ callId: 'c1', reason: 'empty', action: 'queue', target: 'other' });
    h.login('a1');
    h.request('a1', { state: 'not-ready', reason: 'break' });
    h.join('c2', 'q');
    expect(h.core.caller('c2')?.queueId).toBe('q');
  });

  it('leave-when-empty: when the last member logs out, callers on the line take the empty exit', () => {
    const h = new CoreHarness([queue('q', { requiredSkills: ['x'], leaveWhenEmpty: true })], [agent('a1', { x: 3 }), agent('a2', { x: 3 })]);
    h.login('a1', 'a2');
    h.request('a1', { state: 'not-ready', reason: 'break' });
    h.request('a2', { state: 'not-ready', reason: 'break' });
    h.join('c1', 'q');
    h.request('a1', { state: 'logged-out' });
    expect(h.events('queue.exited')).toEqual([]);
    h.send({ kind: 'registration', agentId: 'a2', registered: false });
    expect(h.events('queue.exited')[0]).toMatchObject({ callId: 'c1', reason: 'empty', action: 'hangup', target: 'no-agents' });
  });

  it('exit key: the caller presses it to leave to a flow target; other keys do nothing', () => {
    const h = new CoreHarness([queue('q', { exitKey: { digit: '0', exit: { kind: 'flow', node: 'main-menu', prompts: [] } } })], []);
    h.join('c1', 'q');
    expect(h.send({ kind: 'caller-digit', callId: 'c1', digit: '5' }).filter((c) => c.kind === 'leave')).toEqual([]);
    const cmds = h.send({ kind: 'caller-digit', callId: 'c1', digit: '0' });
    expect(cmds).toContainEqual({ kind: 'leave', callId: 'c1', how: 'flow', node: 'main-menu', files: [] });
    expect(h.events('queue.exited')[0]).toMatchObject({ reason: 'exit-key', action: 'flow' });
  });

  it('an overflow loop is cut after a bounded number of hops', () => {
    const h = new CoreHarness(
      [queue('a', { maxLength: 0, onFull: { kind: 'queue', queueId: 'b', prompts: [] } }), queue('b', { maxLength: 0, onFull: { kind: 'queue', queueId: 'a', prompts: [] } })],
      [],
    );
    const cmds = h.join('c1', 'a');
    expect(cmds.find((c) => c.kind === 'leave')).toMatchObject({ how: 'hangup', cause: 'overflow-loop' });
    expect(h.events('queue.exited').at(-1)).toMatchObject({ reason: 'overflow-loop' });
  });
});

describe('announcements', () => {
  const build = () =>
    new CoreHarness(
      [queue('q', { requiredSkills: ['x'], expectedHandleSec: 300, announce: { onJoin: true, positionEverySec: 60, ewt: true, comfortEverySec: 45, comfortPrompt: 'acd/{lang}/comfort.wav' } })],
      [agent('a1', { x: 1 }), agent('a2', { x: 1 })],
    );

  it('position and EWT on joining, in the caller\'s language, then every period; comfort in between', () => {
    const h = build();
    h.login('a1', 'a2');
    h.join('busy1', 'q');
    h.join('busy2', 'q');
    h.answer('busy1', 'a1');
    h.answer('busy2', 'a2');
    h.join('c1', 'q');
    h.join('c2', 'q');
    const cmds = h.join('c3', 'q', { attrs: { language: 'en' } });
    // Third in line; two staffed agents, 300 s each: EWT = 3 × 300 / 2 = 450 s → 8 minutes.
    expect(cmds.find((c) => c.kind === 'play')).toMatchObject({
      files: ['acd/en/ahead-before.wav', 'acd/en/num/n2.wav', 'acd/en/ahead-after.wav', 'acd/en/ewt-before.wav', 'acd/en/num/n8.wav', 'acd/en/ewt-after.wav'],
    });
    expect(h.events('queue.announced').at(-1)).toMatchObject({ callId: 'c3', kind: 'position', position: 3, ewtSec: 450 });
    const first = h.events('queue.announced').find((e) => e.callId === 'c1');
    expect(first).toMatchObject({ position: 1, ewtSec: 150 });
    h.clear();
    const comfort = h.advance(45_000);
    expect(comfort.filter((c) => c.kind === 'play').map((c) => (c as { files: string[] }).files[0])).toEqual(['acd/zh/comfort.wav', 'acd/zh/comfort.wav', 'acd/en/comfort.wav']);
    h.clear();
    h.advance(15_000);
    expect(h.events('queue.announced').filter((e) => e.kind === 'position').map((e) => e.position)).toEqual([1, 2, 3]);
  });

  it('the EWT follows measured handle times', () => {
    const h = build();
    h.login('a1');
    for (let i = 0; i < 3; i += 1) {
      h.join(`m${i}`, 'q');
      h.answer(`m${i}`, 'a1');
      h.now += 120_000;
      h.end(`m${i}`, 'a1');
    }
    h.join('busy', 'q');
    h.answer('busy', 'a1');
    expect(h.core.ewtSec('q', 1)).toBe(120);
  });

  it('no staffed member: no estimate', () => {
    const h = build();
    expect(h.core.ewtSec('q')).toBeUndefined();
    h.join('c1', 'q');
    expect(h.events('queue.announced')[0]).toMatchObject({ position: 1 });
    expect(h.events('queue.announced')[0]?.ewtSec).toBeUndefined();
  });
});

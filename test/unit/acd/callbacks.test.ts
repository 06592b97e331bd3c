import { describe, expect, it } from 'vitest';
import type { QueueConfig } from '../../../src/domain/acd/model.js';
import { CoreHarness, agent, queue } from './core-harness.js';

const callback: NonNullable<QueueConfig['callback']> = {
  key: '1',
  offerAfterSec: 30,
  offerEverySec: 60,
  maxAttempts: 2,
  retryAfterSec: 120,
  dialTimeoutSec: 30,
  expireAfterSec: 3600,
  trunk: { host: '127.0.0.1', port: 5090, transport: 'udp' },
};
const build = (extra: Partial<QueueConfig> = {}) => new CoreHarness([queue('q', { callback, ...extra })], [agent('a1', {}), agent('a2', {})], { canDial: true });

/** a1 and a2 on calls, then c1 (the callback caller) and c2 behind it. */
function busy(h: CoreHarness): void {
  h.login('a1', 'a2');
  h.join('b1', 'q');
  h.join('b2', 'q');
  h.answer('b1', 'a1');
  h.answer('b2', 'a2');
  h.join('c1', 'q', { callerNumber: '13912345678', dialledNumber: '4008208820' });
  h.now += 1000;
  h.join('c2', 'q');
}

/** busy(), then c1 asks for a callback once it is offered (after offerAfterSec). */
function placeKept(): CoreHarness {
  const h = build();
  busy(h);
  h.advance(30_000);
  h.send({ kind: 'caller-digit', callId: 'c1', digit: '1' });
  return h;
}

describe('callback keeping the place (virtual hold)', () => {
  it('is offered after offerAfterSec; the key is refused before that', () => {
    const h = build();
    busy(h);
    h.send({ kind: 'caller-digit', callId: 'c1', digit: '1' });
    expect(h.core.caller('c1')?.state).toBe('waiting');
    const cmds = h.advance(30_000);
    expect(cmds.find((c) => c.kind === 'play' && c.callId === 'c1')).toMatchObject({ files: ['acd/zh/callback-offer.wav'] });
    expect(h.events('queue.announced').find((e) => e.kind === 'callback-offer')).toMatchObject({ callId: 'c1' });
  });

  it('accepting keeps the place: the caller hangs up and stays first in line', () => {
    const h = build();
    busy(h);
    h.advance(30_000);
    const cmds = h.send({ kind: 'caller-digit', callId: 'c1', digit: '1' });
    expect(cmds).toContainEqual({ kind: 'leave', callId: 'c1', how: 'callback-hold', files: ['acd/zh/callback-confirm.wav'] });
    expect(h.events('queue.callback-accepted')[0]).toMatchObject({ callId: 'c1', trigger: 'key', position: 1 });
    h.hangup('c1'); // the hang-up we asked for: not an abandon
    expect(h.events('call.abandoned')).toEqual([]);
    expect(h.core.waiting().map((e) => [e.callId, e.state])).toEqual([
      ['c1', 'virtual-hold'],
      ['c2', 'waiting'],
    ]);
    expect(h.core.position('c2')).toBe(2);
  });

  it('its turn: the agent is reserved, the caller\'s own number dialled, the agent rung once it answers, then bridged', () => {
    const h = placeKept();
    h.hangup('c1');
    h.now += 60_000;
    const freed = h.end('b1', 'a1');
    expect(freed.find((c) => c.kind === 'dial')).toEqual({ kind: 'dial', callId: 'c1', number: '13912345678', trunk: callback.trunk, fromNumber: '4008208820' });
    expect(h.core.agent('a1')?.state).toMatchObject({ name: 'reserved', callId: 'c1' });
    expect(h.rings('c1')).toEqual([]);
    expect(h.core.invariants()).toEqual([]);
    h.now += 8000;
    const answered = h.send({ kind: 'callback-answered', callId: 'c1' });
    expect(answered.find((c) => c.kind === 'play')).toMatchObject({ files: ['acd/zh/callback-connecting.wav'] });
    expect(h.ringsIn(answered)).toEqual([{ callId: 'c1', agentId: 'a1' }]);
    expect(h.events('queue.callback-attempt')[0]).toMatchObject({ agentId: 'a1', attempt: 1, outcome: 'answered' });
    h.now += 3000;
    const bridged = h.answer('c1', 'a1');
    expect(bridged.find((c) => c.kind === 'bridge')).toMatchObject({ callId: 'c1', agentId: 'a1' });
    expect(h.events('call.answered').find((e) => e.callId === 'c1')).toMatchObject({ waitMs: 1000 + 30_000 + 60_000 + 8000 + 3000 });
    // c2 (on the line) was not served before c1 although a1 came free while c1 was off the line.
    expect(h.rings('c2')).toEqual([]);
  });

  it('no answer: the agent is freed, a retry later, then given up after maxAttempts', () => {
    const h = placeKept();
    h.hangup('c1');
    h.end('b1', 'a1');
    const timeout = h.advance(30_000);
    expect(timeout).toContainEqual({ kind: 'cancel-dial', callId: 'c1' });
    expect(h.events('queue.callback-attempt')[0]).toMatchObject({ outcome: 'no-answer', attempt: 1 });
    // a1 is free again: c2 (on the line) takes it while c1 waits for its retry.
    expect(h.rings('c2')).toEqual(['a1']);
    h.answer('c2', 'a1');
    h.end('b2', 'a2');
    expect(h.of('dial')).toHaveLength(1);
    const retry = h.advance(120_000); // retryAfterSec after the no-answer
    expect(retry.find((c) => c.kind === 'dial')).toMatchObject({ callId: 'c1' });
    h.send({ kind: 'callback-failed', callId: 'c1', outcome: 'busy' });
    expect(h.events('queue.callback-attempt')[1]).toMatchObject({ outcome: 'busy', attempt: 2 });
    expect(h.events('queue.exited')[0]).toMatchObject({ callId: 'c1', reason: 'callback-failed' });
    expect(h.of('end-call')).toEqual([{ kind: 'end-call', callId: 'c1', cause: 'callback-failed' }]);
    expect(h.state('a2')).toBe('available');
    expect(h.core.invariants()).toEqual([]);
  });

  it('the agent does not answer the callback: the caller, now on the line, waits for the next agent', () => {
    const h = placeKept();
    h.hangup('c1');
    h.end('b1', 'a1');
    h.send({ kind: 'callback-answered', callId: 'c1' });
    h.advance(15_000);
    expect(h.core.agent('a1')?.state).toMatchObject({ name: 'not-ready', reason: 'rona' });
    expect(h.core.caller('c1')?.state).toBe('waiting');
    h.end('b2', 'a2');
    expect(h.rings('c1')).toEqual(['a1', 'a2']);
    h.hangup('c1');
    expect(h.events('call.abandoned')[0]).toMatchObject({ callId: 'c1' });
  });

  it('max wait → callback: an automatic virtual hold', () => {
    const h = build({ maxWaitSec: 20, onMaxWait: { kind: 'callback', prompts: [] } });
    busy(h);
    h.advance(20_000);
    expect(h.events('queue.callback-accepted')[0]).toMatchObject({ callId: 'c1', trigger: 'max-wait' });
    expect(h.core.caller('c1')?.state).toBe('virtual-hold');
  });

  it('never for an anonymous or odd number, nor without a way to dial', () => {
    const h = build();
    busy(h);
    h.join('anon', 'q', { callerNumber: 'anonymous' });
    h.advance(30_000);
    expect(h.events('queue.announced').filter((e) => e.kind === 'callback-offer').map((e) => e.callId)).toEqual(['c1', 'c2']);
    const noDial = new CoreHarness([queue('q', { callback })], [], { canDial: false });
    noDial.join('x', 'q');
    noDial.advance(60_000);
    expect(noDial.events('queue.announced')).toEqual([]);
  });

  it('a place kept too long expires', () => {
    const h = placeKept();
    h.advance(3600_000);
    expect(h.events('queue.exited')[0]).toMatchObject({ callId: 'c1', reason: 'callback-expired' });
    expect(h.of('end-call')[0]).toMatchObject({ callId: 'c1', cause: 'callback-expired' });
  });
});

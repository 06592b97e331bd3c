/**
 * One record per call in the report fold (report-calls.ts): what the record remembers between a call's
 * events, when the book forgets it, and fold scenarios that cross several of its parts (ring-all, RONA,
 * an agent's transfer back into a queue, an abandon while ringing, a wrap-up logged before the end).
 */
import { describe, expect, it } from 'vitest';
import { stampEvent, type EventDraft, type HotlineEvent } from '../../../src/domain/metrics/events.js';
import { buildReport } from '../../../src/domain/metrics/report.js';
import { CallBook, CallRecord } from '../../../src/domain/metrics/report-calls.js';

const T0 = Date.parse('2024-05-01T09:00:00.000Z');
const ev = (sec: number, draft: EventDraft): HotlineEvent => stampEvent(draft, T0 + sec * 1000);

describe('CallRecord', () => {
  it('keeps one ringing agent as a string, several (ring-all) as a list without repeats', () => {
    const c = new CallRecord();
    c.rung('A');
    expect(c.ringing).toBe('A');
    c.rung('A');
    expect(c.ringing).toBe('A');
    c.rung('B');
    c.rung('C');
    c.rung('B');
    expect(c.ringing).toEqual(['A', 'B', 'C']);
  });

  it('a RONA or decline stops one ring; back to a string when one is left; no agent stops them all', () => {
    const c = new CallRecord();
    c.rung('A');
    c.rung('B');
    c.ringStopped('A');
    expect(c.ringing).toBe('B');
    c.ringStopped('X');
    expect(c.ringing).toBe('B');
    c.ringStopped('B');
    expect(c.ringing).toBeUndefined();
    c.rung('A');
    c.rung('B');
    c.ringStopped(undefined);
    expect(c.ringing).toBeUndefined();
  });

  it('takeRinging gives the rings still going and forgets them', () => {
    const c = new CallRecord();
    c.rung('A');
    c.rung('B');
    expect(c.takeRinging()).toEqual(['A', 'B']);
    expect(c.takeRinging()).toBeUndefined();
  });

  it('leaveQueue gives the skills the call waited with, only while it waits', () => {
    const c = new CallRecord();
    expect(c.leaveQueue()).toBeUndefined();
    c.waiting = true;
    c.queueId = 'sales';
    c.skills = ['en'];
    expect(c.leaveQueue()).toEqual(['en']);
    expect(c).toMatchObject({ waiting: false, queueId: '', skills: undefined });
    expect(c.leaveQueue()).toBeUndefined();
  });
});

describe('CallBook', () => {
  it('makes a record on open, finds it again, and releases it only once nothing is left', () => {
    const book = new CallBook();
    expect(book.find('c1')).toBeUndefined();
    const c = book.open('c1');
    expect(book.open('c1')).toBe(c);
    c.rung('A');
    book.release('c1', c);
    expect(book.find('c1')).toBe(c);
    c.takeRinging();
    c.from = '13800000001';
    book.release('c1', c);
    expect(book.size).toBe(1);
    c.from = undefined;
    book.release('c1', c);
    expect(book.find('c1')).toBeUndefined();
    book.open('c2');
    book.forget('c2');
    expect(book.size).toBe(0);
  });
});

const offered = (sec: number, callId: string, from = '13800000001'): HotlineEvent => ev(sec, { type: 'call.offered', callId, from, to: '4008208820', flowId: 'main' });
const joined = (sec: number, callId: string, queueId = 'sales'): HotlineEvent => ev(sec, { type: 'queue.joined', callId, queueId, position: 1, priority: 0 });
const ring = (sec: number, callId: string, agentId: string, queueId = 'sales'): HotlineEvent => ev(sec, { type: 'agent.offered', callId, queueId, agentId, attempt: 1 });
const answered = (sec: number, callId: string, agentId: string, waitMs: number, queueId = 'sales'): HotlineEvent =>
  ev(sec, { type: 'call.answered', callId, queueId, agentId, waitMs, ringMs: 1000 });
const ended = (sec: number, callId: string, talkMs?: number): HotlineEvent =>
  ev(sec, { type: 'call.ended', callId, hungUpBy: 'caller', cause: 'normal', queueId: 'sales', durationMs: sec * 1000, ...(talkMs === undefined ? {} : { talkMs }) });

describe('report fold, one record per call', () => {
  it('an agent transfer back into a queue: talk ends at the transfer, the call is judged for FCR once, by its caller, at its second answer', () => {
    const events = [
      offered(0, 'c1'),
      joined(1, 'c1'),
      ring(1, 'c1', 'A'),
      answered(2, 'c1', 'A', 1000),
      ev(62, { type: 'agent.transferred', callId: 'c1', queueId: 'sales', agentId: 'A', kind: 'blind', target: '8001', talkMs: 60_000 }),
      joined(62, 'c1', 'support'),
      ring(62, 'c1', 'B', 'support'),
      answered(64, 'c1', 'B', 2000, 'support'),
      ended(124, 'c1', 60_000),
      // The same caller again within 24 h: the call (judged once, at its last answer) is not resolved.
      offered(3600, 'c2'),
    ];
    const r = buildReport(events);
    expect(r.total).toMatchObject({ offered: 2, answered: 2, avgTalkSec: 60 });
    const support = r.queues.find((q) => q.queueId === 'support');
    const sales = r.queues.find((q) => q.queueId === 'sales');
    // Judged at the second answer only: the caller number, from call.offered, outlived the first talk.
    expect(sales?.fcrPct).toBeNull();
    expect(support?.fcrPct).toBe(0);
  });

  it('ring-all with a RONA, then an abandon while ringing: only the phone still ringing had its ring abandoned', () => {
    const events = [
      offered(0, 'c1'),
      joined(1, 'c1'),
      ring(1, 'c1', 'A'),
      ring(1, 'c1', 'B'),
      ring(1, 'c1', 'C'),
      ev(5, { type: 'agent.rona', callId: 'c1', queueId: 'sales', agentId: 'B', ringMs: 4000 }),
      ev(6, { type: 'agent.declined', callId: 'c1', queueId: 'sales', agentId: 'C', sipStatus: 486, reason: 'busy' }),
      ev(8, { type: 'call.abandoned', callId: 'c1', queueId: 'sales', waitMs: 7000, whileRinging: true, position: 1 }),
      ended(8, 'c1'),
    ];
    const rows = buildReport(events, { by: 'agent' }).rows;
    const abandonedRinging = Object.fromEntries(rows.map((row) => [row.agentId, row.abandoned]));
    expect(abandonedRinging).toEqual({ A: 1, B: 0, C: 0 });
    expect(rows.find((row) => row.agentId === 'B')?.rona).toBe(1);
  });

  it('a wrap-up logged before the call end still completes the handle time', () => {
    const events = [offered(0, 'c1'), joined(1, 'c1'), answered(2, 'c1', 'A', 1000), ev(62, { type: 'agent.wrapup-ended', agentId: 'A', callId: 'c1', wrapupMs: 5000 }), ended(62, 'c1', 60_000)];
    expect(buildReport(events).total).toMatchObject({ answered: 1, ahtSec: 65 });
  });

  it('a call ended while waiting counts as offered to its queue; events after its end start afresh', () => {
    const events = [offered(0, 'c1'), joined(1, 'c1'), ended(30, 'c1'), ev(31, { type: 'agent.rona', callId: 'c1', queueId: 'sales', agentId: 'A', ringMs: 1000 }), ended(32, 'c1')];
    expect(buildReport(events).total).toMatchObject({ offered: 1, answered: 0, abandoned: 0 });
  });
});

import { describe, expect, it } from 'vitest';
import { JitterHistogram } from '../../../src/adapters/telephony/builtin/media/jitter-histogram.js';
import { FrameSchedule, FrameSlots, MediaClock, type ClockDriver } from '../../../src/adapters/telephony/builtin/media/pacer.js';

/** A driver whose timers fire only when the test advances time, each `lateMs` after it was due. */
class FakeDriver implements ClockDriver {
  now = 1000.25;
  private timers: { at: number; fn: () => void; id: number }[] = [];
  private nextId = 1;
  requestedDelays: number[] = [];

  nowMs(): number {
    return this.now;
  }
  setTimer(delayMs: number, fn: () => void): unknown {
    this.requestedDelays.push(delayMs);
    const id = this.nextId++;
    this.timers.push({ at: this.now + delayMs, fn, id });
    return id;
  }
  clearTimer(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }
  /** Fires the next timer `lateMs` after its due time (like a busy event loop would). */
  fireNext(lateMs: number): boolean {
    this.timers.sort((a, b) => a.at - b.at);
    const timer = this.timers.shift();
    if (!timer) return false;
    this.now = Math.max(this.now, timer.at + lateMs);
    timer.fn();
    return true;
  }
}

describe('FrameSchedule', () => {
  it('puts tick n at start + n × 20 ms', () => {
    const s = new FrameSchedule(500);
    expect(s.deadlineMs(0)).toBe(500);
    expect(s.deadlineMs(1)).toBe(520);
    expect(s.deadlineMs(50_000)).toBe(500 + 1_000_000);
  });

  it('finds the due ticks and the wait until the next one', () => {
    const s = new FrameSchedule(0);
    expect(s.dueTicks(0, 0, 5)).toEqual({ first: 0, last: 0, skipped: 0 });
    expect(s.dueTicks(1, 19.9, 5)).toEqual({ first: 1, last: 0, skipped: 0 }); // nothing due
    expect(s.dueTicks(1, 45, 5)).toEqual({ first: 1, last: 2, skipped: 0 });
    expect(s.waitMs(3, 45)).toBe(15);
    expect(s.waitMs(2, 45)).toBe(0);
  });

  it('skips the oldest overdue ticks after a long stall, without moving the schedule', () => {
    const s = new FrameSchedule(0);
    expect(s.dueTicks(10, 1000, 5)).toEqual({ first: 46, last: 50, skipped: 36 });
    expect(s.deadlineMs(51)).toBe(1020);
  });
});

describe('MediaClock', () => {
  it('keeps absolute deadlines when every timer fires late (no drift)', () => {
    const driver = new FakeDriver();
    const ticks: { tick: number; deadlineMs: number; firedAt: number }[] = [];
    const clock = new MediaClock((tick, deadlineMs) => ticks.push({ tick, deadlineMs, firedAt: driver.now }), { driver });
    const start = driver.now;
    clock.start();
    // Every wake-up comes 1.3 ms late — what drifts a relative setInterval by 6.5 %.
    while (ticks.length < 3000) driver.fireNext(1.3);
    clock.stop();
    ticks.forEach((t, i) => {
      expect(t.tick).toBe(i);
      expect(t.deadlineMs).toBe(start + i * 20);
    });
    // After 3000 frames (60 s) we are still within one late wake-up of the deadline: no accumulated drift.
    const last = ticks.at(-1)!;
    expect(last.firedAt - last.deadlineMs).toBeLessThanOrEqual(1.3 + 1e-9);
    // The timer always aims at the next absolute deadline (shorter than 20 ms after a late wake-up).
    expect(driver.requestedDelays.slice(2).every((d) => Math.abs(d - 18.7) < 1e-6)).toBe(true);
  });

  it('runs the overdue ticks it can catch up and counts the skipped ones', () => {
    const driver = new FakeDriver();
    const ticks: number[] = [];
    const clock = new MediaClock((tick) => ticks.push(tick), { driver, maxCatchUpMs: 60 });
    clock.start(); // tick 0 now
    driver.fireNext(70); // woken 70 ms late: ticks 1..4 due, only the last 3 run
    expect(ticks).toEqual([0, 2, 3, 4]);
    expect(clock.skippedTicks).toBe(1);
    clock.stop();
  });

  it('stops from inside a tick and leaves no timer behind', () => {
    const driver = new FakeDriver();
    let clock: MediaClock | null = null;
    let count = 0;
    clock = new MediaClock(() => {
      if (++count === 3) clock!.stop();
    }, { driver });
    clock.start();
    while (driver.fireNext(0));
    expect(count).toBe(3);
    expect(clock.running).toBe(false);
  });
});

describe('FrameSlots', () => {
  it('spreads members evenly, soonest slot first among equals', () => {
    const slots = new FrameSlots<string>(4);
    expect(slots.add('a', 2)).toBe(2);
    expect(slots.add('b', 2)).toBe(3);
    expect(slots.add('c', 2)).toBe(0);
    expect(slots.add('d', 2)).toBe(1);
    expect(slots.add('e', 2)).toBe(2);
    expect(slots.add('a', 0)).toBe(2); // already present
    slots.remove('c');
    expect(slots.add('f', 1)).toBe(0); // the only slot with room
    expect(slots.size).toBe(5);
  });

  it('maps tick k to slot k mod slots and frame floor(k / slots)', () => {
    const slots = new FrameSlots<string>(10);
    slots.add('x', 3);
    expect(slots.due(3)).toMatchObject({ frame: 0 });
    expect([...slots.due(23).members]).toEqual(['x']);
    expect(slots.due(23).frame).toBe(2);
    expect([...slots.due(24).members]).toEqual([]);
  });

  it('with a 2 ms clock, each member sends every 20 ms on its own absolute phase', () => {
    const driver = new FakeDriver();
    const slots = new FrameSlots<string>(10);
    const sends = new Map<string, { frame: number; deadlineMs: number }[]>();
    const clock = new MediaClock(
      (tick, deadlineMs) => {
        const { frame, members } = slots.due(tick);
        for (const m of members) sends.set(m, [...(sends.get(m) ?? []), { frame, deadlineMs }]);
      },
      { driver, periodMs: 2 },
    );
    const start = driver.now;
    for (const name of ['a', 'b', 'c']) slots.add(name, clock.upcomingTick);
    clock.start();
    while ((sends.get('c')?.length ?? 0) < 100) driver.fireNext(0.7);
    clock.stop();
    for (const [name, phase] of [['a', 0], ['b', 2], ['c', 4]] as const) {
      sends.get(name)!.slice(0, 100).forEach((s, n) => {
        expect(s.frame).toBe(n);
        expect(s.deadlineMs).toBeCloseTo(start + phase + n * 20, 9);
      });
    }
  });
});

describe('JitterHistogram', () => {
  it('reports p50 and p99 to the bucket width', () => {
    const h = new JitterHistogram();
    for (let i = 0; i < 98; i++) h.record(0.5);
    h.record(3);
    h.record(7);
    expect(h.count).toBe(100);
    expect(h.percentileMs(50)).toBeCloseTo(0.55, 5);
    expect(h.percentileMs(99)).toBeCloseTo(3.05, 5);
    expect(h.percentileMs(100)).toBeCloseTo(7.05, 5);
  });

  it('clamps negatives to 0, keeps overflow as the max seen, and resets', () => {
    const h = new JitterHistogram(0.05, 1);
    h.record(-2);
    h.record(250);
    expect(h.percentileMs(50)).toBeCloseTo(0.05, 5);
    expect(h.percentileMs(100)).toBe(250);
    h.reset();
    expect(h.percentileMs(99)).toBe(0);
  });
});

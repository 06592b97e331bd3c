import { describe, expect, it } from 'vitest';
import { Backoff } from '../../../src/adapters/telephony/drachtio-freeswitch/backoff.js';

describe('bounded exponential back-off', () => {
  it('doubles from the initial delay and never passes the maximum', () => {
    const b = new Backoff({ initialMs: 250, maxMs: 5000, factor: 2 });
    expect(Array.from({ length: 8 }, () => b.next())).toEqual([250, 500, 1000, 2000, 4000, 5000, 5000, 5000]);
    expect(b.attempts).toBe(8);
  });

  it('starts over after a success', () => {
    const b = new Backoff({ initialMs: 100, maxMs: 1000, factor: 3 });
    b.next();
    b.next();
    b.reset();
    expect(b.next()).toBe(100);
  });

  it('rejects options that would not back off', () => {
    expect(() => new Backoff({ initialMs: 0, maxMs: 10, factor: 2 })).toThrow(RangeError);
    expect(() => new Backoff({ initialMs: 100, maxMs: 10, factor: 2 })).toThrow(RangeError);
    expect(() => new Backoff({ initialMs: 100, maxMs: 1000, factor: 0.5 })).toThrow(RangeError);
  });
});

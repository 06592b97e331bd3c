import { describe, expect, it } from 'vitest';
import type { QueueEntry } from '../../../src/domain/acd/model.js';
import { compareCallers, positionInQueue } from '../../../src/domain/acd/router.js';

const caller = (callId: string, queueId: string, joinedAtMs: number, priority = 0): QueueEntry => ({
  callId, queueId, callerNumber: '1', priority, joinedAtMs, excludedAgents: [], offerAttempts: 0,
});

describe('service order over store records', () => {
  it('orders by priority, then arrival, then id', () => {
    const list = [caller('b', 'q', 5), caller('a', 'q', 5), caller('vip', 'q', 9, 10), caller('first', 'q', 1)];
    expect(list.sort(compareCallers).map((c) => c.callId)).toEqual(['vip', 'first', 'a', 'b']);
  });

  it('positions count within the queue in service order', () => {
    const waiting = [caller('c1', 'sales', 1), caller('c2', 'support', 2), caller('c3', 'sales', 3, 5)];
    expect(positionInQueue(waiting, 'c1')).toBe(2);
    expect(positionInQueue(waiting, 'c3')).toBe(1);
    expect(positionInQueue(waiting, 'c2')).toBe(1);
    expect(positionInQueue(waiting, 'nope')).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import type { AgentConfig, AgentRecord, QueueConfig, QueueEntry } from '../../../src/domain/acd/model.js';
import { planMatches, positionInQueue } from '../../../src/domain/acd/router.js';

const queue = (id: string, skill: string): QueueConfig => ({ id, name: id, requiredSkills: [skill], strategy: 'longest-idle', ringTimeoutSec: 15, wrapupSec: 0, musicOnHold: 'm.wav' });
const queues = new Map([['sales', queue('sales', 'sales')], ['support', queue('support', 'support')]]);
const cfg = (id: string, skills: Record<string, number>): AgentConfig => ({ id, name: id, skills, readyOnRegister: true });
const configs = new Map([
  ['a1', cfg('a1', { sales: 5 })],
  ['a2', cfg('a2', { sales: 5, support: 5 })],
  ['a3', cfg('a3', { support: 5 })],
]);
const agent = (id: string, idleSinceMs: number, state: AgentRecord['state']['name'] = 'available', registered = true): AgentRecord => ({
  id, state: { name: state, sinceMs: 0 }, registered, idleSinceMs, callsAnswered: 0, version: 0,
});
const caller = (callId: string, queueId: string, joinedAtMs: number, priority = 0, extra: Partial<QueueEntry> = {}): QueueEntry => ({
  callId, queueId, callerNumber: '1', priority, joinedAtMs, excludedAgents: [], offerAttempts: 0, ...extra,
});

describe('router (longest-idle, priority then FIFO)', () => {
  it('gives the call to the agent idle the longest', () => {
    const m = planMatches([caller('c1', 'sales', 10)], [agent('a1', 500), agent('a2', 100)], configs, queues);
    expect(m).toEqual([{ callId: 'c1', queueId: 'sales', agentId: 'a2' }]);
  });

  it('only agents with the queue skill, registered and available', () => {
    const agents = [agent('a3', 1), agent('a2', 2, 'not-ready'), agent('a1', 3, 'available', false)];
    expect(planMatches([caller('c1', 'sales', 10)], agents, configs, queues)).toEqual([]);
  });

  it('serves higher priority first, then arrival order; each agent once', () => {
    const waiting = [caller('old', 'sales', 1), caller('vip', 'sales', 5, 10), caller('new', 'sales', 3)];
    const m = planMatches(waiting, [agent('a1', 1), agent('a2', 2)], configs, queues);
    expect(m.map((x) => `${x.callId}:${x.agentId}`)).toEqual(['vip:a1', 'old:a2']);
  });

  it('skips callers already being offered and agents excluded for a caller', () => {
    const waiting = [caller('c1', 'sales', 1, 0, { offeredTo: 'a9' }), caller('c2', 'sales', 2, 0, { excludedAgents: ['a1'] })];
    const m = planMatches(waiting, [agent('a1', 1), agent('a2', 2)], configs, queues);
    expect(m).toEqual([{ callId: 'c2', queueId: 'sales', agentId: 'a2' }]);
  });

  it('positions count within the queue in service order', () => {
    const waiting = [caller('c1', 'sales', 1), caller('c2', 'support', 2), caller('c3', 'sales', 3, 5)];
    expect(positionInQueue(waiting, 'c1')).toBe(2);
    expect(positionInQueue(waiting, 'c3')).toBe(1);
    expect(positionInQueue(waiting, 'c2')).toBe(1);
    expect(positionInQueue(waiting, 'nope')).toBe(0);
  });
});

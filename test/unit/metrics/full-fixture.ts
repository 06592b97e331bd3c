/**
 * An hour of a small centre with EVERY event type, hand-checked figure by figure in report-options.test.ts.
 * T0 = Monday 2024-05-06 09:00 Asia/Shanghai (01:00 UTC). Queues sales (skills from the configuration:
 * sales) and support (queue.joined names its skills: support, english); agents a1 (sales), a2 (support).
 *
 *   c1 sales   13800000001  answered by a1 after 10 s (ring 5 s), talk 100 s, wrap-up 20 s, CSAT 5
 *   c2 support 13900000002  menu timeout; RONA on a2 (15 s); abandoned after 30 s
 *   c3 sales   13800000001  (c1's caller again, 70 s after c1 ended) declined by a1; left on timeout after 60 s
 *   c4 support 13700000004  answered by a2 after 4 s (ring 3 s), blind transfer after 60 s, wrap-up 10 s
 *   c5 sales   anonymous    abandoned after 3 s (a short abandon with a 5 s threshold)
 *   c6 sales   13500000006  answered by a1 at exactly 20 s (ring 6 s), still talking at the end
 *   c7 support 13600000007  answered by a2 after 3 s (ring 2 s), talk 60 s, wrap-up 10 s, CSAT 2
 *   c8         13400000008  unknown number, rejected
 *   a1 on break 1000 s – 1900 s (crosses 09:30); a2 not ready after RONA 77 s – 137 s, logged out at 2000 s
 */
import { stampEvent, type EventDraft, type HotlineEvent } from '../../../src/domain/metrics/events.js';

export const T0 = Date.parse('2024-05-06T09:00:00+08:00');
export const END = T0 + 3600_000; // the report range [T0, END)

const at = (sec: number, draft: EventDraft): HotlineEvent => stampEvent(draft, T0 + Math.round(sec * 1000));
const state = (sec: number, agentId: string, from: string, to: string, extra: { reason?: string; callId?: string } = {}): HotlineEvent =>
  at(sec, { type: 'agent.state-changed', agentId, from, to, ...extra });

export const FULL: HotlineEvent[] = [
  at(0, { type: 'queue-log.record', event: 'QUEUESTART', callid: 'NONE', queue: 'NONE', agent: 'NONE', data: [''], imported: true, importedFrom: 'queue_log' }),
  state(0, 'a1', 'logged-out', 'available'),
  state(0, 'a2', 'logged-out', 'available'),
  // c1
  at(10, { type: 'call.offered', callId: 'c1', from: '13800000001', to: '4008208820', flowId: 'main', flowVersion: '1' }),
  at(11, { type: 'menu.entered', callId: 'c1', flowId: 'main', nodeId: 'welcome', attempt: 1 }),
  at(15, { type: 'digits.received', callId: 'c1', nodeId: 'welcome', digits: '1', source: 'rfc4733' }),
  at(20, { type: 'queue.joined', callId: 'c1', queueId: 'sales', position: 1, priority: 0 }),
  at(25, { type: 'agent.offered', callId: 'c1', queueId: 'sales', agentId: 'a1', attempt: 1 }),
  state(25, 'a1', 'available', 'reserved', { callId: 'c1' }),
  state(25, 'a1', 'reserved', 'ringing', { callId: 'c1' }),
  at(25.1, { type: 'agent.ringing', callId: 'c1', agentId: 'a1' }),
  state(30, 'a1', 'ringing', 'on-call', { callId: 'c1' }),
  at(30, { type: 'call.answered', callId: 'c1', queueId: 'sales', agentId: 'a1', waitMs: 10_000, ringMs: 5_000 }),
  at(130, { type: 'call.ended', callId: 'c1', hungUpBy: 'agent', cause: 'normal', queueId: 'sales', agentId: 'a1', talkMs: 100_000, durationMs: 120_000 }),
  state(130, 'a1', 'on-call', 'wrap-up', { callId: 'c1' }),
  at(140, { type: 'csat.scored', callId: 'c1', queueId: 'sales', agentId: 'a1', score: 5 }),
  state(150, 'a1', 'wrap-up', 'available', { callId: 'c1' }),
  at(150, { type: 'agent.wrapup-ended', agentId: 'a1', callId: 'c1', wrapupMs: 20_000 }),
  // c2
  at(40, { type: 'call.offered', callId: 'c2', from: '13900000002', to: '4008208820', flowId: 'main', flowVersion: '1' }),
  at(41, { type: 'menu.entered', callId: 'c2', flowId: 'main', nodeId: 'welcome', attempt: 1 }),
  at(50, { type: 'menu.failed', callId: 'c2', nodeId: 'welcome', kind: 'timeout', attempt: 1 }),
  at(60, { type: 'queue.joined', callId: 'c2', queueId: 'support', position: 1, priority: 0, skills: ['support', 'english'] }),
  at(62, { type: 'agent.offered', callId: 'c2', queueId: 'support', agentId: 'a2', attempt: 1 }),
  at(77, { type: 'agent.rona', callId: 'c2', queueId: 'support', agentId: 'a2', ringMs: 15_000 }),
  state(77, 'a2', 'available', 'not-ready', { reason: 'rona' }),
  at(90, { type: 'call.abandoned', callId: 'c2', queueId: 'support', waitMs: 30_000, whileRinging: false, position: 1 }),
  at(90, { type: 'call.ended', callId: 'c2', hungUpBy: 'caller', cause: 'abandon', queueId: 'support', durationMs: 50_000 }),
  state(137, 'a2', 'not-ready', 'available'),
  // c3
  at(200, { type: 'call.offered', callId: 'c3', from: '13800000001', to: '4008208820', flowId: 'main', flowVersion: '1' }),
  at(205, { type: 'queue.joined', callId: 'c3', queueId: 'sales', position: 1, priority: 0 }),
  at(206, { type: 'agent.offered', callId: 'c3', queueId: 'sales', agentId: 'a1', attempt: 1 }),
  at(207, { type: 'agent.declined', callId: 'c3', queueId: 'sales', agentId: 'a1', sipStatus: 486, reason: 'Busy Here' }),
  at(265, { type: 'queue.exited', callId: 'c3', queueId: 'sales', reason: 'max-wait', waitMs: 60_000, position: 1 }),
  at(270, { type: 'call.ended', callId: 'c3', hungUpBy: 'system', cause: 'queue-timeout', queueId: 'sales', durationMs: 70_000 }),
  // c4
  at(300, { type: 'call.offered', callId: 'c4', from: '13700000004', to: '4008208820', flowId: 'main', flowVersion: '1' }),
  at(302, { type: 'queue.joined', callId: 'c4', queueId: 'support', position: 1, priority: 0, skills: ['support', 'english'] }),
  at(303, { type: 'agent.offered', callId: 'c4', queueId: 'support', agentId: 'a2', attempt: 1 }),
  at(306, { type: 'call.answered', callId: 'c4', queueId: 'support', agentId: 'a2', waitMs: 4_000, ringMs: 3_000 }),
  at(366, { type: 'agent.transferred', callId: 'c4', queueId: 'support', agentId: 'a2', kind: 'blind', target: '8001', context: 'from-internal', talkMs: 60_000 }),
  at(376, { type: 'agent.wrapup-ended', agentId: 'a2', callId: 'c4', wrapupMs: 10_000 }),
  at(400, { type: 'call.ended', callId: 'c4', hungUpBy: 'caller', cause: 'normal', queueId: 'support', agentId: 'a2', talkMs: 94_000, durationMs: 100_000 }),
  // c5
  at(500, { type: 'call.offered', callId: 'c5', from: 'anonymous', to: '4008208820', flowId: 'main', flowVersion: '1' }),
  at(501, { type: 'queue.joined', callId: 'c5', queueId: 'sales', position: 1, priority: 0 }),
  at(504, { type: 'call.abandoned', callId: 'c5', queueId: 'sales', waitMs: 3_000, whileRinging: false, position: 1 }),
  at(504, { type: 'call.ended', callId: 'c5', hungUpBy: 'caller', cause: 'abandon', queueId: 'sales', durationMs: 4_000 }),
  // c6
  at(600, { type: 'call.offered', callId: 'c6', from: '13500000006', to: '4008208820', flowId: 'main', flowVersion: '1' }),
  at(601, { type: 'queue.joined', callId: 'c6', queueId: 'sales', position: 1, priority: 0 }),
  at(615, { type: 'agent.offered', callId: 'c6', queueId: 'sales', agentId: 'a1', attempt: 1 }),
  at(621, { type: 'call.answered', callId: 'c6', queueId: 'sales', agentId: 'a1', waitMs: 20_000, ringMs: 6_000 }),
  // c7
  at(695, { type: 'call.offered', callId: 'c7', from: '13600000007', to: '4008208820', flowId: 'main', flowVersion: '1' }),
  at(700, { type: 'queue.joined', callId: 'c7', queueId: 'support', position: 1, priority: 0, skills: ['support', 'english'] }),
  at(701, { type: 'agent.offered', callId: 'c7', queueId: 'support', agentId: 'a2', attempt: 1 }),
  at(703, { type: 'call.answered', callId: 'c7', queueId: 'support', agentId: 'a2', waitMs: 3_000, ringMs: 2_000 }),
  at(763, { type: 'call.ended', callId: 'c7', hungUpBy: 'agent', cause: 'normal', queueId: 'support', agentId: 'a2', talkMs: 60_000, durationMs: 68_000 }),
  at(770, { type: 'csat.scored', callId: 'c7', queueId: 'support', agentId: 'a2', score: 2 }),
  at(773, { type: 'agent.wrapup-ended', agentId: 'a2', callId: 'c7', wrapupMs: 10_000 }),
  // c8
  at(800, { type: 'call.offered', callId: 'c8', from: '13400000008', to: '4008009999' }),
  at(800.15, { type: 'call.rejected', callId: 'c8', sipStatus: 404, reason: 'unknown number' }),
  // agents
  state(1000, 'a1', 'available', 'not-ready', { reason: 'break' }),
  state(1900, 'a1', 'not-ready', 'available'),
  state(2000, 'a2', 'available', 'logged-out'),
].sort((a, b) => a.ts - b.ts);

export const QUEUE_SKILLS: ReadonlyMap<string, readonly string[]> = new Map([['sales', ['sales']]]);

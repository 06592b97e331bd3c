/**
 * One example of every event type, telling one call's story. docs/events.md shows exactly these lines
 * (checked by events-schema.test.ts); the Record type makes the compiler demand an example per type.
 */
import { stampEvent, type HotlineEvent, type HotlineEventType } from '../../../src/domain/metrics/events.js';

const T = Date.parse('2024-05-01T09:00:00.000Z');
const CALL = 'c-20240501-0001';

export const EVENT_EXAMPLES: Record<HotlineEventType, HotlineEvent> = {
  'call.offered': stampEvent({ type: 'call.offered', callId: CALL, from: '13800138000', to: '4008001234', flowId: 'main', flowVersion: '3' }, T),
  'call.rejected': stampEvent({ type: 'call.rejected', callId: 'c-20240501-0002', sipStatus: 404, reason: 'no flow for 4008009999' }, T + 150),
  'menu.entered': stampEvent({ type: 'menu.entered', callId: CALL, flowId: 'main', nodeId: 'welcome', attempt: 1 }, T + 220),
  'digits.received': stampEvent({ type: 'digits.received', callId: CALL, nodeId: 'welcome', digits: '2', source: 'rfc4733' }, T + 6_410),
  'menu.failed': stampEvent({ type: 'menu.failed', callId: CALL, nodeId: 'account', kind: 'timeout', attempt: 1 }, T + 16_900),
  'queue.joined': stampEvent({ type: 'queue.joined', callId: CALL, queueId: 'billing', position: 3, priority: 0 }, T + 21_000),
  'agent.offered': stampEvent({ type: 'agent.offered', callId: CALL, queueId: 'billing', agentId: '1001', attempt: 1 }, T + 33_000),
  'agent.ringing': stampEvent({ type: 'agent.ringing', callId: CALL, agentId: '1001' }, T + 33_080),
  'agent.rona': stampEvent({ type: 'agent.rona', callId: CALL, queueId: 'billing', agentId: '1001', ringMs: 15_000 }, T + 48_000),
  'agent.declined': stampEvent({ type: 'agent.declined', callId: CALL, queueId: 'billing', agentId: '1002', sipStatus: 486, reason: 'Busy Here' }, T + 49_500),
  'call.answered': stampEvent({ type: 'call.answered', callId: CALL, queueId: 'billing', agentId: '1003', waitMs: 31_200, ringMs: 2_200 }, T + 52_200),
  'call.abandoned': stampEvent({ type: 'call.abandoned', callId: 'c-20240501-0003', queueId: 'billing', waitMs: 41_000, whileRinging: false, position: 2 }, T + 62_000),
  'call.ended': stampEvent({ type: 'call.ended', callId: CALL, hungUpBy: 'caller', cause: 'normal', queueId: 'billing', agentId: '1003', talkMs: 184_300, durationMs: 236_500 }, T + 236_500),
  'agent.state-changed': stampEvent({ type: 'agent.state-changed', agentId: '1003', from: 'on-call', to: 'wrap-up', reason: 'call ended', callId: CALL }, T + 236_510),
  'agent.wrapup-ended': stampEvent({ type: 'agent.wrapup-ended', agentId: '1003', callId: CALL, wrapupMs: 30_000 }, T + 266_510),
  'queue.exited': stampEvent({ type: 'queue.exited', callId: 'c-20240501-0008', queueId: 'sales', reason: 'max-wait', action: 'queue', target: 'support', waitMs: 120_000, position: 2 }, T + 100_000),
  'agent.transferred': stampEvent(
    { type: 'agent.transferred', callId: 'c-20240501-0005', queueId: 'billing', agentId: '1002', kind: 'blind', target: '8001', context: 'from-internal', talkMs: 64_000 },
    T + 190_000,
  ),
  'csat.scored': stampEvent({ type: 'csat.scored', callId: CALL, queueId: 'billing', agentId: '1003', score: 5 }, T + 251_000),
  'queue-log.record': stampEvent(
    { type: 'queue-log.record', event: 'QUEUESTART', callid: 'NONE', queue: 'NONE', agent: 'NONE', data: [''], imported: true, importedFrom: 'queue_log' },
    Date.parse('2024-04-30T00:55:00.000Z'),
  ),
  'http.completed': stampEvent({ type: 'http.completed', callId: 'c-20240501-0004', nodeId: 'order-lookup', outcome: 'ok', httpStatus: 200, attempts: 1, elapsedMs: 84 }, T + 70_000),
  'voicemail.recorded': stampEvent({ type: 'voicemail.recorded', callId: 'c-20240501-0005', nodeId: 'leave-message', mailbox: 'after-hours', from: '13800138000', file: 'voicemail/after-hours/2024-05-01/c-20240501-0005.wav', durationMs: 23_400 }, T + 80_000),
  'callback.requested': stampEvent({ type: 'callback.requested', callId: 'c-20240501-0006', nodeId: 'callback', number: '13900139000', queueId: 'sales', language: 'zh' }, T + 90_000),
  'call.transferred': stampEvent({ type: 'call.transferred', callId: 'c-20240501-0007', nodeId: 'to-manager', target: 'agent', to: '1003', outcome: 'connected' }, T + 95_000),
  'queue.announced': stampEvent({ type: 'queue.announced', callId: 'c-20240501-0008', queueId: 'support', kind: 'position', position: 3, ewtSec: 95 }, T + 130_000),
  'queue.callback-accepted': stampEvent({ type: 'queue.callback-accepted', callId: 'c-20240501-0008', queueId: 'support', trigger: 'key', position: 3, waitMs: 150_000 }, T + 150_000),
  'queue.callback-attempt': stampEvent({ type: 'queue.callback-attempt', callId: 'c-20240501-0008', queueId: 'support', agentId: '1004', attempt: 1, outcome: 'answered' }, T + 400_000),
  'agent.disposition': stampEvent({ type: 'agent.disposition', agentId: '1003', callId: CALL, queueId: 'billing', code: 'resolved' }, T + 240_000),
};

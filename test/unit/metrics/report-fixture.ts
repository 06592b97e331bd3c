/**
 * A hand-written day of calls on two queues (threshold 20 s), with every figure worked out by hand in
 * EXPECTED below. Times are on 2024-05-01 UTC.
 */
import { stampEvent, type EventDraft, type HotlineEvent } from '../../../src/domain/metrics/events.js';

const T0 = Date.parse('2024-05-01T09:00:00.000Z');
const ev = (sec: number, draft: EventDraft): HotlineEvent => stampEvent(draft, T0 + sec * 1000);
const join = (sec: number, callId: string, queueId: string): HotlineEvent =>
  ev(sec, { type: 'queue.joined', callId, queueId, position: 1, priority: 0 });
const answer = (sec: number, callId: string, queueId: string, waitMs: number, ringMs: number): HotlineEvent =>
  ev(sec, { type: 'call.answered', callId, queueId, agentId: 'a1', waitMs, ringMs });
const end = (sec: number, callId: string, extra: { queueId?: string; talkMs?: number; hungUpBy?: 'caller' | 'agent' | 'system' }): HotlineEvent =>
  ev(sec, { type: 'call.ended', callId, hungUpBy: extra.hungUpBy ?? 'caller', cause: 'normal', durationMs: 1, ...extra });
const wrapup = (sec: number, callId: string, wrapupMs: number): HotlineEvent =>
  ev(sec, { type: 'agent.wrapup-ended', agentId: 'a1', callId, wrapupMs });

export const FIXTURE_START_MS = T0;

export const FIXTURE: HotlineEvent[] = [
  // sales/c1: answered within threshold (12 s), talk 100 s + wrap-up 20 s = handle 120 s
  ev(0, { type: 'call.offered', callId: 'c1', from: '13800000001', to: '4008001234', flowId: 'main' }),
  join(5, 'c1', 'sales'),
  ev(9, { type: 'agent.offered', callId: 'c1', queueId: 'sales', agentId: 'a1', attempt: 1 }),
  answer(17, 'c1', 'sales', 12_000, 3_000),
  end(117, 'c1', { queueId: 'sales', talkMs: 100_000, hungUpBy: 'agent' }),
  wrapup(137, 'c1', 20_000),
  // sales/c2: answered after threshold (30 s), talk 200 s, no wrap-up → handle 200 s
  join(10, 'c2', 'sales'),
  answer(40, 'c2', 'sales', 30_000, 5_000),
  end(240, 'c2', { queueId: 'sales', talkMs: 200_000 }),
  // sales/c3: abandoned after 45 s
  join(20, 'c3', 'sales'),
  ev(65, { type: 'call.abandoned', callId: 'c3', queueId: 'sales', waitMs: 45_000, whileRinging: false, position: 2 }),
  end(65, 'c3', { queueId: 'sales' }),
  // sales/c4: still waiting at the end → not counted
  join(300, 'c4', 'sales'),
  // sales/c5: answered at exactly the threshold (20 s counts as within), still talking → not in AHT
  join(400, 'c5', 'sales'),
  answer(420, 'c5', 'sales', 20_000, 4_000),
  // billing/b1: abandoned while ringing
  join(30, 'b1', 'billing'),
  ev(35, { type: 'call.abandoned', callId: 'b1', queueId: 'billing', waitMs: 5_000, whileRinging: true, position: 1 }),
  end(35, 'b1', { queueId: 'billing' }),
  // billing/b2: ended in queue by the system (queue timeout): offered, neither answered nor abandoned
  join(50, 'b2', 'billing'),
  end(650, 'b2', { queueId: 'billing', hungUpBy: 'system' }),
  // billing/b3: answered in 1 s, talk 61.234 s + wrap-up 10 s = 71.234 s
  join(60, 'b3', 'billing'),
  answer(61, 'b3', 'billing', 1_000, 1_500),
  end(122.234, 'b3', { queueId: 'billing', talkMs: 61_234 }),
  wrapup(132.234, 'b3', 10_000),
  // vip/v1: joined, still waiting → the queue shows, with nothing to divide by
  join(700, 'v1', 'vip'),
].sort((a, b) => a.ts - b.ts);

const NO_CSAT = { csatAvg: null, csatSatisfiedPct: null };

const QUEUES = [
  {
    queueId: 'billing',
    offered: 3,
    answered: 1,
    abandoned: 1,
    answeredWithin: 1,
    abandonedWithin: 1, // b1 after 5 s
    shortAbandoned: 0,
    serviceLevelPct: 33.33,
    abandonRatePct: 33.33,
    asaSec: 1,
    ahtSec: 71.23,
    avgTalkSec: 61.23,
    avgWrapupSec: 10,
    ringToAnswerSec: 1.5,
    rona: 0,
    occupancyPct: null, // agents are not per queue
    answerRatePct: 33.33,
    fcrPct: null, // b3 has no call.offered: its caller number is unknown
    ...NO_CSAT,
  },
  {
    queueId: 'sales',
    offered: 4,
    answered: 3,
    abandoned: 1,
    answeredWithin: 2,
    abandonedWithin: 0, // c3 after 45 s
    shortAbandoned: 0,
    serviceLevelPct: 50,
    abandonRatePct: 25,
    asaSec: 20.67, // (12 + 30 + 20) / 3
    ahtSec: 160, // (120 + 200) / 2
    avgTalkSec: 150, // (100 + 200) / 2
    avgWrapupSec: 20, // c1 only
    ringToAnswerSec: 4, // (3 + 5 + 4) / 3
    rona: 0,
    occupancyPct: null,
    answerRatePct: 75,
    fcrPct: 100, // c1, no repeat call from 13800000001
    ...NO_CSAT,
  },
  {
    queueId: 'vip',
    offered: 0,
    answered: 0,
    abandoned: 0,
    answeredWithin: 0,
    abandonedWithin: 0,
    shortAbandoned: 0,
    serviceLevelPct: null,
    abandonRatePct: null,
    asaSec: null,
    ahtSec: null,
    avgTalkSec: null,
    avgWrapupSec: null,
    ringToAnswerSec: null,
    rona: 0,
    occupancyPct: null,
    answerRatePct: null,
    fcrPct: null,
    ...NO_CSAT,
  },
];

export const EXPECTED = {
  slThresholdSec: 20,
  slFormula: 'offered',
  slDefinition: 'answered within T / offered',
  shortAbandonSec: 0,
  fcrWindowHours: 24,
  timeZone: 'Asia/Shanghai',
  by: 'queue',
  rows: QUEUES,
  queues: QUEUES,
  total: {
    offered: 7,
    answered: 4,
    abandoned: 2,
    answeredWithin: 3,
    abandonedWithin: 1,
    shortAbandoned: 0,
    serviceLevelPct: 42.86, // 300 / 7
    abandonRatePct: 28.57, // 200 / 7
    asaSec: 15.75, // 63 / 4
    ahtSec: 130.41, // (120 + 200 + 71.234) / 3
    avgTalkSec: 120.41, // (100 + 200 + 61.234) / 3
    avgWrapupSec: 15, // (20 + 10) / 2
    ringToAnswerSec: 3.38, // 13.5 / 4 = 3.375, half up
    rona: 0,
    occupancyPct: null, // no agent state changes in the fixture
    answerRatePct: 57.14, // 400 / 7
    fcrPct: 100,
    csatAvg: null,
    csatSatisfiedPct: null,
  },
};

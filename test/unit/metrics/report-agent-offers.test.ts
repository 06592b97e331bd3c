/**
 * Agent rows count rings: OFFERED is the number of agent.offered events for the agent (one per ring), and
 * every ring ends as answered, RONA, declined, abandoned while ringing, or cancelled because another agent
 * took the call (ring-all). Each scenario is checked on events in memory and read back from a day file,
 * as `hotline report --by agent` reads them.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { JsonlEventLog } from '../../../src/adapters/event-log/jsonl-event-log.js';
import { visitEvents } from '../../../src/adapters/event-log/read-events.js';
import { stampEvent, type EventDraft, type HotlineEvent } from '../../../src/domain/metrics/events.js';
import { buildReport, createReportFold, REPORT_EVENT_FIELDS, type Report, type ReportOptions } from '../../../src/domain/metrics/report.js';

const T0 = Date.parse('2024-05-01T09:00:00.000Z');
const ev = (sec: number, draft: EventDraft): HotlineEvent => stampEvent(draft, T0 + sec * 1000);
const offer = (sec: number, callId: string, agentId: string, attempt = 1): HotlineEvent => ev(sec, { type: 'agent.offered', callId, queueId: 'sales', agentId, attempt });
const state = (sec: number, agentId: string, from: string, to: string, extra: { callId?: string; reason?: string } = {}): HotlineEvent =>
  ev(sec, { type: 'agent.state-changed', agentId, from, to, ...extra });

/** Two agents logged in at T0, and a caller who joins sales at 1 s. */
const start = (callId: string): HotlineEvent[] => [
  state(0, 'A', 'logged-out', 'available'),
  state(0, 'B', 'logged-out', 'available'),
  ev(0.5, { type: 'call.offered', callId, from: '13800000001', to: '4008208820', flowId: 'main' }),
  ev(1, { type: 'queue.joined', callId, queueId: 'sales', position: 1, priority: 0 }),
];

/** One call rung at A, who does not answer (RONA after 15 s), then at B, who answers; as the engine logs it. */
const RONA_THEN_ANSWER: HotlineEvent[] = [
  ...start('c1'),
  state(1, 'A', 'available', 'reserved', { callId: 'c1' }),
  offer(1, 'c1', 'A'),
  state(1, 'A', 'reserved', 'ringing', { callId: 'c1' }),
  ev(1.1, { type: 'agent.ringing', callId: 'c1', agentId: 'A' }),
  ev(16, { type: 'agent.rona', callId: 'c1', queueId: 'sales', agentId: 'A', ringMs: 15_000 }),
  state(16, 'A', 'ringing', 'not-ready', { reason: 'rona', callId: 'c1' }),
  state(16, 'B', 'available', 'reserved', { callId: 'c1' }),
  offer(16, 'c1', 'B', 2),
  state(16, 'B', 'reserved', 'ringing', { callId: 'c1' }),
  ev(16.1, { type: 'agent.ringing', callId: 'c1', agentId: 'B' }),
  state(19, 'B', 'ringing', 'on-call', { callId: 'c1' }),
  ev(19, { type: 'call.answered', callId: 'c1', queueId: 'sales', agentId: 'B', waitMs: 18_000, ringMs: 3_000 }),
  ev(79, { type: 'call.ended', callId: 'c1', hungUpBy: 'caller', cause: 'normal', queueId: 'sales', agentId: 'B', talkMs: 60_000, durationMs: 78_500 }),
  state(79, 'B', 'on-call', 'wrap-up', { callId: 'c1' }),
  state(89, 'B', 'wrap-up', 'available', { callId: 'c1' }),
  ev(89, { type: 'agent.wrapup-ended', agentId: 'B', callId: 'c1', wrapupMs: 10_000 }),
];

/** Ring-all: A and B ring together, B answers, A's ring is cancelled (no RONA, no outcome of A's own). */
const RING_ALL_ANSWERED: HotlineEvent[] = [
  ...start('c2'),
  offer(1, 'c2', 'A'),
  offer(1, 'c2', 'B'),
  ev(4, { type: 'call.answered', callId: 'c2', queueId: 'sales', agentId: 'B', waitMs: 3_000, ringMs: 3_000 }),
  state(4, 'A', 'ringing', 'available', { callId: 'c2' }),
  ev(64, { type: 'call.ended', callId: 'c2', hungUpBy: 'agent', cause: 'normal', queueId: 'sales', agentId: 'B', talkMs: 60_000, durationMs: 63_500 }),
];

/** Ring-all: A's phone gives up first (RONA) while B still rings; then the caller hangs up. */
const RING_ALL_RONA_THEN_ABANDON: HotlineEvent[] = [
  ...start('c3'),
  offer(1, 'c3', 'A'),
  offer(1, 'c3', 'B'),
  ev(5, { type: 'agent.rona', callId: 'c3', queueId: 'sales', agentId: 'A', ringMs: 4_000 }),
  ev(8, { type: 'call.abandoned', callId: 'c3', queueId: 'sales', waitMs: 7_000, whileRinging: true, position: 1 }),
  ev(8, { type: 'call.ended', callId: 'c3', hungUpBy: 'caller', cause: 'abandon', queueId: 'sales', durationMs: 7_500 }),
];

/** Ring-all: the caller hangs up while both phones ring. */
const RING_ALL_ABANDON: HotlineEvent[] = [
  ...start('c4'),
  offer(1, 'c4', 'A'),
  offer(1, 'c4', 'B'),
  ev(6, { type: 'call.abandoned', callId: 'c4', queueId: 'sales', waitMs: 5_000, whileRinging: true, position: 1 }),
  ev(6, { type: 'call.ended', callId: 'c4', hungUpBy: 'caller', cause: 'abandon', queueId: 'sales', durationMs: 5_500 }),
];

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

/** The report of events written to a day file and read back the way `hotline report` reads them. */
async function fromDisk(events: HotlineEvent[], opts: ReportOptions): Promise<Report> {
  dir = await mkdtemp(join(tmpdir(), 'hotline-agent-offers-'));
  const log = new JsonlEventLog({ dir });
  for (const e of events) log.append(e);
  await log.close();
  const fold = createReportFold(opts);
  await visitEvents(dir, { fields: REPORT_EVENT_FIELDS }, (e) => fold.add(e));
  return fold.result();
}

type AgentFigures = { offered: number; answered: number; rona: number; abandoned: number };

async function agentRows(events: HotlineEvent[], opts: ReportOptions = {}): Promise<Record<string, AgentFigures>> {
  const all = { ...opts, by: 'agent' as const };
  const memory = buildReport(events, all);
  expect(await fromDisk(events, all)).toEqual(memory);
  const out: Record<string, AgentFigures> = {};
  for (const r of memory.rows) {
    const key = r.agentId ?? '';
    const prev = out[key] ?? { offered: 0, answered: 0, rona: 0, abandoned: 0 };
    out[key] = { offered: prev.offered + r.offered, answered: prev.answered + r.answered, rona: prev.rona + r.rona, abandoned: prev.abandoned + r.abandoned };
  }
  return out;
}

describe('agent rows: one offer per ring', () => {
  it.each([{}, { interval: { kind: 'minutes', minutes: 30 } } as const, { fromMs: T0, toMs: T0 + 3600_000 }])(
    'A rings out (RONA), then B answers: A offered 1 / rona 1, B offered 1 / answered 1 (%o)',
    async (opts) => {
      expect(await agentRows(RONA_THEN_ANSWER, opts)).toEqual({
        A: { offered: 1, answered: 0, rona: 1, abandoned: 0 },
        B: { offered: 1, answered: 1, rona: 0, abandoned: 0 },
      });
      // The queue saw one call, answered once.
      expect(buildReport(RONA_THEN_ANSWER, opts).total).toMatchObject({ offered: 1, answered: 1, rona: 1 });
    },
  );

  it('ring-all: the agent whose ring was cancelled by another answer keeps its offer, with no outcome', async () => {
    expect(await agentRows(RING_ALL_ANSWERED)).toEqual({
      A: { offered: 1, answered: 0, rona: 0, abandoned: 0 },
      B: { offered: 1, answered: 1, rona: 0, abandoned: 0 },
    });
  });

  it('ring-all: a RONA of one phone does not forget the phone still ringing when the caller hangs up', async () => {
    expect(await agentRows(RING_ALL_RONA_THEN_ABANDON)).toEqual({
      A: { offered: 1, answered: 0, rona: 1, abandoned: 0 },
      B: { offered: 1, answered: 0, rona: 0, abandoned: 1 },
    });
  });

  it('ring-all: a caller who hangs up while two phones ring abandoned both rings', async () => {
    expect(await agentRows(RING_ALL_ABANDON)).toEqual({
      A: { offered: 1, answered: 0, rona: 0, abandoned: 1 },
      B: { offered: 1, answered: 0, rona: 0, abandoned: 1 },
    });
  });
});

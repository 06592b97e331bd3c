/**
 * The report reads only the fields REPORT_EVENT_FIELDS names (the reader decodes nothing else): folding
 * those projections must give exactly the report of fully parsed events, for every option.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JsonlEventLog } from '../../../src/adapters/event-log/jsonl-event-log.js';
import { readEventBatches } from '../../../src/adapters/event-log/read-events.js';
import type { HotlineEvent } from '../../../src/domain/metrics/events.js';
import { buildReport, REPORT_EVENT_FIELDS, REPORT_EVENT_TYPES, type ReportOptions } from '../../../src/domain/metrics/report.js';
import { END, FULL, QUEUE_SKILLS, T0 } from './full-fixture.js';
import { FIXTURE } from './report-fixture.js';
import { workedExample } from './worked-example.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hotline-projection-'));
  const log = new JsonlEventLog({ dir });
  for (const ev of [...FULL, ...FIXTURE, ...workedExample()].sort((a, b) => a.ts - b.ts)) log.append(ev);
  await log.close();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function read(projected: boolean): Promise<HotlineEvent[]> {
  const out: HotlineEvent[] = [];
  for await (const batch of readEventBatches(dir, projected ? { fields: REPORT_EVENT_FIELDS } : { types: REPORT_EVENT_TYPES })) out.push(...batch);
  return out;
}

const OPTIONS: ReportOptions[] = [
  {},
  { fromMs: T0, toMs: END, by: 'agent', interval: { kind: 'minutes', minutes: 15 } },
  { fromMs: T0, toMs: END, by: 'skill', queueSkills: QUEUE_SKILLS, interval: { kind: 'day' } },
  { slFormula: 'offered-abandon-met', shortAbandonSec: 5, slThresholdSec: 10, fcrWindowHours: 0.01 },
  { queues: ['sales'], interval: { kind: 'month' }, timeZone: 'UTC' },
];

describe('report projection', () => {
  it('decodes every report event type and only those, with the same values as JSON.parse', async () => {
    const [projected, parsed] = [await read(true), await read(false)];
    expect(projected.map((e) => e.type)).toEqual(parsed.map((e) => e.type));
    expect(new Set(projected.map((e) => e.type))).toEqual(REPORT_EVENT_TYPES);
    projected.forEach((p, i) => {
      const full = parsed[i] as unknown as Record<string, unknown>;
      const fields = REPORT_EVENT_FIELDS[p.type] ?? {};
      for (const key of ['ts', 'type', ...Object.keys(fields)]) expect((p as unknown as Record<string, unknown>)[key], `${p.type}.${key}`).toEqual(full[key]);
    });
  });

  it.each(OPTIONS.map((o, i) => [i, o] as const))('option set %i: the same report from projections as from whole events', async (_i, opts) => {
    const [projected, parsed] = [await read(true), await read(false)];
    expect(buildReport(projected, opts)).toEqual(buildReport(parsed, opts));
  });
});

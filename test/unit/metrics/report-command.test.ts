import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JsonlEventLog } from '../../../src/adapters/event-log/jsonl-event-log.js';
import { runReport, type RunReportOptions } from '../../../src/cli/report-command.js';
import { EXPECTED, FIXTURE } from './report-fixture.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hotline-report-'));
  const log = new JsonlEventLog({ dir });
  for (const ev of FIXTURE) log.append(ev);
  await log.close();
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function run(opts: Partial<RunReportOptions>): Promise<{ code: number; out: string[]; warn: string[] }> {
  const out: string[] = [];
  const warn: string[] = [];
  const code = await runReport({
    eventsDir: dir,
    slThresholdSec: 20,
    json: false,
    out: (s) => out.push(s),
    warn: (s) => warn.push(s),
    ...opts,
  });
  return { code, out, warn };
}

describe('runReport', () => {
  it('prints CSV with a header, one line per row and a TOTAL line', async () => {
    const { code, out } = await run({ format: 'csv' });
    expect(code).toBe(0);
    expect(out[0]?.split('\r\n')).toEqual([
      'queueId,offered,answered,abandoned,answeredWithin,abandonedWithin,shortAbandoned,serviceLevelPct,abandonRatePct,asaSec,ahtSec,avgTalkSec,avgWrapupSec,ringToAnswerSec,rona,occupancyPct,answerRatePct,fcrPct,csatAvg,csatSatisfiedPct',
      'billing,3,1,1,1,1,0,33.33,33.33,1,71.23,61.23,10,1.5,0,,33.33,,,',
      'sales,4,3,1,2,0,0,50,25,20.67,160,150,20,4,0,,75,100,,',
      'vip,0,0,0,0,0,0,,,,,,,,0,,,,,',
      'TOTAL,7,4,2,3,1,0,42.86,28.57,15.75,130.41,120.41,15,3.38,0,,57.14,100,,',
    ]);
  });

  it('prints the report as pretty JSON (2 spaces) from the event log', async () => {
    const { code, out, warn } = await run({ json: true });
    expect(code).toBe(0);
    expect(warn).toEqual([]);
    expect(out).toHaveLength(1);
    expect(JSON.parse(out[0] ?? '')).toEqual(EXPECTED);
    expect(out[0]).toBe(JSON.stringify(EXPECTED, null, 2));
  });

  it('prints an aligned table: one row per queue, TOTAL, units, and the SL formula', async () => {
    const { code, out } = await run({
      nowMs: Date.parse('2024-05-03T00:00:00.000Z'),
      fromMs: Date.parse('2024-05-01T00:00:00.000Z'),
      toMs: Date.parse('2024-05-02T00:00:00.000Z'),
    });
    expect(code).toBe(0);
    expect(out[0]).toBe(
      [
        'Service level "offered" = answered within T / offered, T = 20 s; short abandons: off',
        'Range: 2024-05-01T08:00:00.000+08:00 to 2024-05-02T08:00:00.000+08:00 (exclusive); time zone Asia/Shanghai',
        'AHT = talk + wrap-up; ASA = mean wait of answered calls; RING = mean ring time to answer; FCR window 24 h; CSAT 1-5',
        '',
        'QUEUE    OFFERED  ANSWERED  ABANDONED  ANS<=20s  SL (%)  ABANDON (%)  ASA (s)  AHT (s)  RING (s)  RONA  FCR (%)  CSAT',
        'billing        3         1          1         1   33.33        33.33     1.00    71.23      1.50     0        -     -',
        'sales          4         3          1         2   50.00        25.00    20.67   160.00      4.00     0   100.00     -',
        'vip            0         0          0         0       -            -        -        -         -     0        -     -',
        'TOTAL          7         4          2         3   42.86        28.57    15.75   130.41      3.38     0   100.00     -',
      ].join('\n'),
    );
  });

  it('passes the threshold through and reports skipped lines as warnings, still exiting 0', async () => {
    await writeFile(join(dir, 'events-2024-05-01.jsonl'), '{"type":"call.answ', { flag: 'a' });
    const { code, out, warn } = await run({ json: true, slThresholdSec: 10 });
    expect(code).toBe(0);
    expect(JSON.parse(out[0] ?? '')).toMatchObject({ slThresholdSec: 10, total: { answeredWithin: 1 } });
    expect(warn).toHaveLength(1);
    expect(warn[0]).toMatch(/events-2024-05-01\.jsonl:\d+: invalid JSON/);
  });

  it('caps per-line warnings and then gives a count', async () => {
    await writeFile(join(dir, 'events-2024-05-02.jsonl'), 'x\n'.repeat(25));
    const { code, warn } = await run({ json: true });
    expect(code).toBe(0);
    expect(warn).toHaveLength(21);
    expect(warn[20]).toBe('hotline report: 25 lines skipped in all (5 not shown)');
  });

  it('exit 1 when the log cannot be read, exit 2 on bad options; nothing printed', async () => {
    const missing = await run({ eventsDir: join(dir, 'missing') });
    expect(missing.code).toBe(1);
    expect(missing.out).toEqual([]);
    expect(missing.warn[0]).toContain('event log directory not found');

    expect((await run({ fromMs: 10, toMs: 10 })).code).toBe(2);
    expect((await run({ fromMs: Number.NaN })).code).toBe(2);
    const badSl = await run({ slThresholdSec: -5 });
    expect(badSl.code).toBe(2);
    expect(badSl.warn[0]).toContain('slThresholdSec');
  });
});

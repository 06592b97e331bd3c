import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JsonlEventLog } from '../../../src/adapters/event-log/jsonl-event-log.js';
import { reportCommand, type CliIo, type ReportCliOptions } from '../../../src/cli/report-cli.js';
import type { Report } from '../../../src/domain/metrics/report.js';
import { FULL } from '../metrics/full-fixture.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hotline-cli-'));
  const log = new JsonlEventLog({ dir: join(dir, 'var', 'events') });
  for (const e of FULL) log.append(e);
  await log.close();
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const DEFAULTS: ReportCliOptions = {
  tz: 'Asia/Shanghai',
  by: 'queue',
  slThresholdSec: 20,
  slFormula: 'offered',
  shortAbandonSec: 0,
  fcrWindowHours: 24,
  format: 'table',
  slTargetPct: 80,
  abandonTargetPct: 5,
};

async function run(opts: Partial<ReportCliOptions>, nowIso = '2024-05-07T10:00:00+08:00'): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { env: { HOTLINE_CONFIG_DIR: join(dir, 'no-config') }, cwd: dir, nowMs: Date.parse(nowIso), out: (s) => out.push(s), err: (s) => err.push(s), stderrIsTty: false };
  const code = await reportCommand({ ...DEFAULTS, ...opts }, io);
  return { code, out, err };
}

describe('hotline report (options)', () => {
  it('--from yesterday in the zone, --json: the range and figures of that day', async () => {
    const { code, out, err } = await run({ from: 'yesterday', json: true });
    expect(err).toEqual([]);
    expect(code).toBe(0);
    const r = JSON.parse(out[0] ?? '') as Report;
    expect([r.from, r.to]).toEqual(['2024-05-06T00:00:00.000+08:00', '2024-05-07T00:00:00.000+08:00']);
    expect(r.total.offered).toBe(7);
    expect(r.total.occupancyPct).not.toBeNull();
    // today: nothing yet.
    expect((JSON.parse((await run({ from: 'today', format: 'json' })).out[0] ?? '') as Report).total.offered).toBe(0);
  });

  it('--by agent --interval 30m --format csv, --queue, --tz', async () => {
    const csv = (await run({ from: '2024-05-06', by: 'agent', interval: '30m', format: 'csv' })).out[0]?.split('\r\n') ?? [];
    expect(csv[0]).toMatch(/^start,end,agentId,offered,.*,csatSatisfiedPct,loggedInSec,stateSec\.available,stateSec\.not-ready,stateSec\.on-call,stateSec\.ringing,stateSec\.wrap-up,notReadySec\.break,notReadySec\.rona$/);
    expect(csv.filter((l) => l.includes(',a1,'))).toHaveLength(2);
    const support = JSON.parse((await run({ from: '2024-05-06', queue: ['support'], json: true })).out[0] ?? '') as Report;
    expect(support.queues.map((q) => q.queueId)).toEqual(['support']);
    const utc = JSON.parse((await run({ from: '2024-05-06', tz: 'UTC', interval: 'day', json: true })).out[0] ?? '') as Report;
    expect(utc.from).toBe('2024-05-06T00:00:00.000+00:00');
  });

  it('--by skill reads queue skills from the configuration, and says so when it cannot', async () => {
    const { code, out, err } = await run({ from: '2024-05-06', by: 'skill', json: true });
    expect(code).toBe(0);
    expect(err[0]).toMatch(/queue skills not read from the configuration .* "\(none\)"/);
    expect((JSON.parse(out[0] ?? '') as Report).rows.map((r) => r.skill)).toEqual(['(none)', 'english', 'support']);
  });

  it('--svg writes the four charts (hourly for a day) and tells where on a table report', async () => {
    const svgDir = join(dir, 'charts');
    const { code, err } = await run({ from: '2024-05-06', to: '2024-05-06', svg: svgDir });
    expect(code).toBe(0);
    expect((await readdir(svgDir)).sort()).toEqual(['abandon-rate.svg', 'asa.svg', 'offered-answered.svg', 'service-level.svg']);
    expect(err[0]).toMatch(/^charts written: /);
    const sl = await readFile(join(svgDir, 'service-level.svg'), 'utf8');
    expect(sl).toContain('<title>Service level: answered within T / offered, T = 20 s</title>');
    expect(sl.match(/<rect x="[\d.]+" y="[\d.]+" width="[\d.]+" height="[\d.]+" fill="#e15759"><title>09:00 service level: 57.14<\/title>/)).not.toBeNull();
    expect(sl).toContain('target 80 %');
  });

  it('bad options: exit 2 and a message naming the option, nothing printed', async () => {
    for (const [opts, message] of [
      [{ from: 'someday' }, /"someday" is not a time/],
      [{ from: 'today', to: 'yesterday' }, /must be before --to/],
      [{ tz: 'Asia/Shanghia' }, /unknown time zone/],
      [{ interval: '7m' }, /interval "7m"/],
      [{ by: 'team' }, /--by must be one of queue, agent, skill/],
      [{ format: 'xml' }, /--format must be one of table, json, csv/],
      [{ slFormula: 'best' }, /--sl-formula must be one of answered, offered, offered-abandon-met, offered-minus-early-abandon/],
    ] as const) {
      const { code, out, err } = await run(opts);
      expect(code, JSON.stringify(opts)).toBe(2);
      expect(out).toEqual([]);
      expect(err[0]).toMatch(message);
    }
  });
});

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JsonlEventLog } from '../../../src/adapters/event-log/jsonl-event-log.js';
import { readEvents } from '../../../src/adapters/event-log/read-events.js';
import { runExportQueueLog, runImportQueueLog, type ImportSummary } from '../../../src/cli/queue-log-command.js';
import { runReport } from '../../../src/cli/report-command.js';
import type { HotlineEvent } from '../../../src/domain/metrics/events.js';
import type { Report } from '../../../src/domain/metrics/report.js';

/** A morning of an Asterisk centre: every queue_log event of the issue and the usual others. */
const FIXTURE = fileURLToPath(new URL('./fixtures/queue_log', import.meta.url));

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hotline-qlog-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function importFile(file = FIXTURE, extra: { force?: boolean; json?: boolean } = {}): Promise<{ code: number; out: string[]; warn: string[] }> {
  const out: string[] = [];
  const warn: string[] = [];
  const code = await runImportQueueLog({ file, eventsDir: join(dir, 'events'), force: extra.force ?? false, json: extra.json ?? true, out: (s) => out.push(s), warn: (s) => warn.push(s) });
  return { code, out, warn };
}

async function exportLog(range: { fromMs?: number; toMs?: number } = {}): Promise<{ code: number; text: string; warn: string[] }> {
  let text = '';
  const warn: string[] = [];
  const code = await runExportQueueLog({ eventsDir: join(dir, 'events'), ...range, write: (s) => void (text += s), warn: (s) => warn.push(s) });
  return { code, text, warn };
}

async function events(): Promise<HotlineEvent[]> {
  const out: HotlineEvent[] = [];
  for await (const e of readEvents(join(dir, 'events'))) out.push(e);
  return out;
}

describe('queue_log import → export', () => {
  it('gives back every record of the file byte for byte', async () => {
    const imported = await importFile();
    expect(imported.code).toBe(0);
    expect(imported.warn).toEqual([]);
    const exported = await exportLog();
    expect(exported.code).toBe(0);
    expect(exported.text).toBe(await readFile(FIXTURE, 'utf8'));
  });

  it('covers the issue’s events with typed events, marked imported, and keeps only the rest verbatim', async () => {
    const summary = JSON.parse((await importFile()).out[0] ?? '') as ImportSummary;
    expect(summary).toMatchObject({ records: 58, skippedLines: 0, days: ['2024-05-06'] });
    const evs = await events();
    expect(evs.every((e) => e.imported === true && e.importedFrom === 'queue_log')).toBe(true);
    const bySource = new Map<string, Set<string>>();
    for (const e of evs) if (e.sourceEvent) bySource.set(e.sourceEvent, (bySource.get(e.sourceEvent) ?? new Set()).add(e.type));
    expect(Object.fromEntries([...bySource].map(([k, v]) => [k, [...v].join()]))).toEqual({
      ENTERQUEUE: 'queue.joined',
      CONNECT: 'call.answered',
      ABANDON: 'call.abandoned',
      EXITWITHTIMEOUT: 'queue.exited',
      EXITWITHKEY: 'queue.exited',
      EXITEMPTY: 'queue.exited',
      WITHDRAW: 'queue.exited',
      COMPLETECALLER: 'call.ended',
      COMPLETEAGENT: 'call.ended',
      TRANSFER: 'agent.transferred',
      BLINDTRANSFER: 'agent.transferred',
      ATTENDEDTRANSFER: 'agent.transferred',
      RINGNOANSWER: 'agent.rona',
      AGENTLOGIN: 'agent.state-changed',
      AGENTLOGOFF: 'agent.state-changed',
      ADDMEMBER: 'agent.state-changed',
      REMOVEMEMBER: 'agent.state-changed',
      PAUSE: 'agent.state-changed',
      PAUSEALL: 'agent.state-changed',
      UNPAUSE: 'agent.state-changed',
      UNPAUSEALL: 'agent.state-changed',
    });
    const verbatim = evs.filter((e) => e.type === 'queue-log.record').map((e) => (e.type === 'queue-log.record' ? e.event : ''));
    expect([...new Set(verbatim)].sort()).toEqual(['ADDMEMBER', 'AGENTDUMP', 'CONFIGRELOAD', 'DID', 'PAUSE', 'QUEUESTART', 'RINGCANCELED', 'SYSCOMPAT', 'UNPAUSE']);
    expect(summary.keptVerbatim).toBe(verbatim.length);
  });

  it('imported history shows in the reports like the engine’s own', async () => {
    await importFile();
    const out: string[] = [];
    const code = await runReport({ eventsDir: join(dir, 'events'), slThresholdSec: 20, format: 'json', nowMs: Date.parse('2024-05-07T00:00:00Z'), out: (s) => out.push(s), warn: () => undefined });
    expect(code).toBe(0);
    const r = JSON.parse(out[0] ?? '') as Report;
    // sales: calls 1, 3 (timeout), 4 (key), 6, 8, 10 (timeout), 11 (withdraw), 12 — 4 answered, all within 20 s
    expect(r.queues.find((q) => q.queueId === 'sales')).toMatchObject({ offered: 8, answered: 4, abandoned: 0, answeredWithin: 4, serviceLevelPct: 50, rona: 1, fcrPct: 75 });
    // support: calls 2 (abandoned while ringing), 3 (answered), 5 (empty), 7 (answered), 9 (abandoned)
    expect(r.queues.find((q) => q.queueId === 'support')).toMatchObject({ offered: 5, answered: 2, abandoned: 2, serviceLevelPct: 40, asaSec: 4, ahtSec: 122.5 });
  });

  it('refuses to import into days that already have events, unless --force', async () => {
    expect((await importFile()).code).toBe(0);
    const again = await importFile();
    expect(again.code).toBe(2);
    expect(again.warn[0]).toMatch(/already has events on 1 of the file's days \(events-2024-05-06\.jsonl\).*--force/);
    const before = (await events()).length;
    expect((await importFile(FIXTURE, { force: true })).code).toBe(0);
    expect((await events()).length).toBe(2 * before);
  });

  it('skips lines that are not queue_log records, with file:line warnings, and prints a summary', async () => {
    const file = join(dir, 'queue_log');
    await writeFile(file, ['1714957200|u|sales|NONE|ENTERQUEUE||139|1', 'garbage', '', '1714957210|u|sales|NONE|ABANDON|1|1|10', '1714957211|u|sales'].join('\n'));
    const { code, out, warn } = await importFile(file, { json: false });
    expect(code).toBe(0);
    expect(warn).toEqual([
      `hotline import queue-log: ${file}:2: expected at least 5 |-separated fields (epoch|callid|queue|agent|EVENT), got 1; line skipped`,
      `hotline import queue-log: ${file}:5: expected at least 5 |-separated fields (epoch|callid|queue|agent|EVENT), got 3; line skipped`,
    ]);
    expect(out[0]).toMatch(/^imported 2 queue_log records from .* as 3 events \(0 kept verbatim\) into 1 day file\(s\) of .*; 2 line\(s\) skipped$/);
    expect((await importFile(join(dir, 'missing'))).warn[0]).toMatch(/cannot read .*missing: no such file/);
  });

  it('exports a time range ([from, to), records of calls begun before it keep their original position)', async () => {
    await importFile();
    const all = (await readFile(FIXTURE, 'utf8')).split('\n').filter(Boolean);
    const fromMs = 1714957290_000; // the EXITWITHTIMEOUT of call 3, which entered at 1714957230
    const toMs = 1714957296_000;
    const { text } = await exportLog({ fromMs, toMs });
    expect(text.split('\n').filter(Boolean)).toEqual(all.filter((l) => Number(l.split('|')[0]) * 1000 >= fromMs && Number(l.split('|')[0]) * 1000 < toMs));
  });

  it('the engine’s own log exports to queue_log and imports back to the same report', async () => {
    const { FULL } = await import('../metrics/full-fixture.js');
    const log = new JsonlEventLog({ dir: join(dir, 'events') });
    for (const e of FULL) log.append(e);
    await log.close();
    const { text } = await exportLog();
    const file = join(dir, 'exported_queue_log');
    await writeFile(file, text);
    const second = join(dir, 'second');
    const out: string[] = [];
    expect(await runImportQueueLog({ file, eventsDir: second, force: false, json: true, out: (s) => out.push(s), warn: () => undefined })).toBe(0);
    let again = '';
    await runExportQueueLog({ eventsDir: second, write: (s) => void (again += s), warn: () => undefined });
    expect(again).toBe(text);
  });
});

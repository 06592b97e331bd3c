import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JsonlEventLog } from '../../../src/adapters/event-log/jsonl-event-log.js';
import { listDayFiles, readEventBatches, readEvents, visitEvents } from '../../../src/adapters/event-log/read-events.js';
import { at, collect, joined, openFdsUnder } from './helpers.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hotline-read-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const ids = (evs: Array<{ type: string }>): string[] => evs.map((e) => (e as unknown as { callId: string }).callId);

describe('readEvents', () => {
  it('skips a torn last line with a warning naming file:line, keeping every whole line', async () => {
    const a = joined('2024-05-01T10:00:00.000Z', 'a');
    const b = joined('2024-05-01T10:00:01.000Z', 'b');
    const file = join(dir, 'events-2024-05-01.jsonl');
    await writeFile(file, `${JSON.stringify(a)}\n\n${JSON.stringify(b)}\n${JSON.stringify(b).slice(0, 25)}`);
    const { events, warnings } = await collect(dir);
    expect(events).toEqual([a, b]);
    expect(warnings).toEqual([`${file}:4: invalid JSON (torn or corrupt line); line skipped`]);
  });

  it('accepts a whole last line that only lacks its newline', async () => {
    const a = joined('2024-05-01T10:00:00.000Z', 'a');
    await writeFile(join(dir, 'events-2024-05-01.jsonl'), JSON.stringify(a));
    expect(await collect(dir)).toEqual({ events: [a], warnings: [] });
  });

  it('skips lines that are JSON but not events, and over-long lines, with warnings', async () => {
    const a = joined('2024-05-01T10:00:00.000Z', 'a');
    const file = join(dir, 'events-2024-05-01.jsonl');
    const long = JSON.stringify({ ...a, from: 'x'.repeat(5000) });
    await writeFile(file, ['[1,2]', '{"type":"x","time":"t"}', long, JSON.stringify(a)].join('\n') + '\n');
    const { events, warnings } = await collect(dir, { maxLineBytes: 1000 });
    expect(events).toEqual([a]);
    expect(warnings).toEqual([
      `${file}:1: not a JSON object; line skipped`,
      `${file}:2: no numeric "ts"; line skipped`,
      `${file}:3: line longer than 1000 bytes; line skipped`,
    ]);
  });

  it('reassembles a line spread over several 64 KiB read chunks, multi-byte characters included', async () => {
    const big = { ...joined('2024-05-01T10:00:00.000Z', 'big'), note: '呼叫中心'.repeat(40_000) }; // ≈ 480 KB
    const small = joined('2024-05-01T10:00:01.000Z', 'small');
    await writeFile(join(dir, 'events-2024-05-01.jsonl'), `${JSON.stringify(big)}\n${JSON.stringify(small)}\n`);
    expect(await collect(dir)).toEqual({ events: [big, small], warnings: [] });
  });

  it('reads a range: only the overlapping day files are opened, ts filtered [from, to)', async () => {
    const log = new JsonlEventLog({ dir });
    for (const [iso, id] of [
      ['2024-05-01T12:00:00.000Z', 'd1'],
      ['2024-05-02T08:59:59.999Z', 'd2-early'],
      ['2024-05-02T09:00:00.000Z', 'd2-from'],
      ['2024-05-03T17:59:59.999Z', 'd3-last'],
      ['2024-05-03T18:00:00.000Z', 'd3-to'],
      ['2024-05-04T12:00:00.000Z', 'd4'],
    ] as const) {
      log.append(joined(iso, id));
    }
    await log.close();
    // Corrupt the days outside the range: a reader that opened them would warn.
    await writeFile(join(dir, 'events-2024-05-01.jsonl'), 'garbage\n', { flag: 'a' });
    await writeFile(join(dir, 'events-2024-05-04.jsonl'), 'garbage\n', { flag: 'a' });
    await writeFile(join(dir, 'notes.txt'), 'not a day file');
    await writeFile(join(dir, 'events-2024-13-01.jsonl'), 'not a calendar day');

    const fromMs = Date.parse('2024-05-02T09:00:00.000Z');
    const toMs = Date.parse('2024-05-03T18:00:00.000Z');
    const { events, warnings } = await collect(dir, { fromMs, toMs });
    expect(warnings).toEqual([]);
    expect(ids(events)).toEqual(['d2-from', 'd3-last']);
    expect(await listDayFiles(dir, fromMs, toMs)).toEqual(['events-2024-05-02.jsonl', 'events-2024-05-03.jsonl']);
    // A range ending exactly at midnight does not touch the next day.
    expect(await listDayFiles(dir, undefined, Date.parse('2024-05-02T00:00:00.000Z'))).toEqual(['events-2024-05-01.jsonl']);
  });

  it('stops cleanly when the consumer breaks early (no handle left open)', async () => {
    const log = new JsonlEventLog({ dir });
    for (let i = 0; i < 100; i++) log.append(joined(new Date(Date.parse('2024-05-01T00:00:00Z') + i * 1000).toISOString(), `c${i}`));
    await log.close();
    let seen = 0;
    for await (const _ev of readEvents(dir)) if (++seen === 3) break;
    expect(seen).toBe(3);
    // The stream is destroyed on break; its fd closes asynchronously, so wait for it (bounded) to go.
    for (let i = 0; i < 1000 && openFdsUnder(dir).length > 0; i++) await new Promise((r) => setImmediate(r));
    expect(openFdsUnder(dir)).toEqual([]);
  });

  it('fails with a clear message when the directory is missing', async () => {
    await expect(collect(join(dir, 'nope'))).rejects.toThrow(`event log directory not found: ${join(dir, 'nope')}`);
    await mkdir(join(dir, 'empty'));
    expect(await collect(join(dir, 'empty'))).toEqual({ events: [], warnings: [] });
  });
});

describe('readEventBatches: filters, projections and chunking', () => {
  const fields = { 'queue.joined': { callId: 'string', queueId: 'string', position: 'number' }, 'call.abandoned': { callId: 'string', whileRinging: 'boolean', waitMs: 'number' } } as const;

  it('decodes only the wanted fields of wanted types, and the whole event where a line needs JSON.parse', async () => {
    const file = join(dir, 'events-2024-05-01.jsonl');
    const plain = joined('2024-05-01T10:00:00.000Z', 'a');
    const escaped = joined('2024-05-01T10:00:01.000Z', 'b"quote\\d');
    const abandoned = { time: '2024-05-01T10:00:02.000Z', ts: Date.parse('2024-05-01T10:00:02.000Z'), type: 'call.abandoned', callId: 'c', queueId: 'q', waitMs: 3000, whileRinging: true, position: 1 };
    // Another writer's key order: parsed whole.
    const foreign = { type: 'queue.joined', ts: Date.parse('2024-05-01T10:00:03.000Z'), time: '2024-05-01T10:00:03.000Z', callId: 'd', queueId: 'q', position: 2, priority: 0 };
    const other = { time: '2024-05-01T10:00:04.000Z', ts: Date.parse('2024-05-01T10:00:04.000Z'), type: 'menu.entered', callId: 'e', flowId: 'f', nodeId: 'n', attempt: 1 };
    await writeFile(file, [plain, escaped, abandoned, foreign, other].map((e) => JSON.stringify(e)).join('\n') + '\n');
    const out: unknown[] = [];
    for await (const batch of readEventBatches(dir, { fields })) out.push(...batch);
    expect(out).toEqual([
      { ts: plain.ts, type: 'queue.joined', callId: 'a', queueId: 'sales', position: 1 },
      escaped, // a backslash in the line: JSON.parse, every field
      { ts: abandoned.ts, type: 'call.abandoned', callId: 'c', whileRinging: true, waitMs: 3000 },
      foreign,
    ]);
  });

  it('skips unwanted types and out-of-range lines unparsed, but still reports a torn line', async () => {
    const file = join(dir, 'events-2024-05-01.jsonl');
    const a = joined('2024-05-01T10:00:00.000Z', 'a');
    const late = joined('2024-05-01T12:00:00.000Z', 'late');
    const menu = at('2024-05-01T10:00:01.000Z', { type: 'menu.entered', callId: 'x', flowId: 'f', nodeId: 'n', attempt: 1 });
    await writeFile(file, `${JSON.stringify(a)}\n${JSON.stringify(menu)}\n${JSON.stringify(late)}\n${JSON.stringify(menu).slice(0, 60)}`);
    const warnings: string[] = [];
    const out: unknown[] = [];
    const toMs = Date.parse('2024-05-01T11:00:00.000Z');
    for await (const batch of readEventBatches(dir, { types: new Set(['queue.joined']), toMs, onWarning: (w) => warnings.push(w) })) out.push(...batch);
    expect(out).toEqual([a]);
    expect(warnings).toEqual([`${file}:4: invalid JSON (torn or corrupt line); line skipped`]);
  });

  it('gives the same events with tiny read chunks (lines and multi-byte characters cut anywhere) and reports progress', async () => {
    const log = new JsonlEventLog({ dir });
    const events = Array.from({ length: 40 }, (_, i) => ({ ...joined(new Date(Date.parse('2024-05-01T10:00:00Z') + i * 1000).toISOString(), `呼叫${i}`), note: '中'.repeat(i) }));
    for (const e of events) log.append(e as never);
    await log.close();
    const size = (await readFile(join(dir, 'events-2024-05-01.jsonl'))).length;
    for (const chunkBytes of [1, 7, 64, 1 << 20]) {
      const out: unknown[] = [];
      const progress: number[] = [];
      for await (const batch of readEventBatches(dir, { chunkBytes, onProgress: (n) => progress.push(n) })) out.push(...batch);
      expect(out).toEqual(events);
      expect(progress.every((n, i) => n >= (progress[i - 1] ?? 0))).toBe(true);
      expect(progress[progress.length - 1]).toBe(size);
    }
  });

  it('flags an over-long line met in the middle of a chunk, and one spread over chunks', async () => {
    const file = join(dir, 'events-2024-05-01.jsonl');
    const a = joined('2024-05-01T10:00:00.000Z', 'a');
    const long = JSON.stringify({ ...a, note: 'x'.repeat(300) });
    await writeFile(file, `${JSON.stringify(a)}\n${long}\n${JSON.stringify(a)}\n`);
    for (const chunkBytes of [1 << 20, 50]) {
      const { events, warnings } = await collect(dir, { maxLineBytes: 200, chunkBytes });
      expect(events).toEqual([a, a]);
      expect(warnings).toEqual([`${file}:2: line longer than 200 bytes; line skipped`]);
    }
  });
});

describe('visitEvents: lines decoded in place give what JSON.parse gives', () => {
  const fields = {
    'queue.joined': { callId: 'string', queueId: 'string', position: 'number', skills: 'complex' },
    'agent.state-changed': { agentId: 'string', to: 'string', reason: 'string' },
    'call.abandoned': { callId: 'string', waitMs: 'number', whileRinging: 'boolean' },
  } as const;

  /** Every event visitEvents gives (copied: the reader reuses its object), and every warning. */
  async function visit(text: string, opts: { chunkBytes?: number; toMs?: number } = {}): Promise<{ events: unknown[]; warnings: string[] }> {
    await writeFile(join(dir, 'events-2024-05-01.jsonl'), text);
    const events: unknown[] = [];
    const warnings: string[] = [];
    await visitEvents(dir, { ...opts, fields, onWarning: (w) => warnings.push(w) }, (ev) => {
      const own: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(ev)) if (v !== undefined) own[k] = v;
      events.push(own);
    });
    return { events, warnings };
  }
  /** What the reader should give for an event: ts, type and the listed fields it has. */
  const projected = (ev: Record<string, unknown>): Record<string, unknown> => {
    const spec = fields[ev['type'] as keyof typeof fields];
    const out: Record<string, unknown> = { ts: ev['ts'], type: ev['type'] };
    for (const k of Object.keys(spec)) if (ev[k] !== undefined) out[k] = ev[k];
    return out;
  };
  const ts = (sec: number): number => Date.parse('2024-05-01T10:00:00.000Z') + sec * 1000;
  const line = (sec: number, draft: Record<string, unknown>): Record<string, unknown> => ({ time: new Date(ts(sec)).toISOString(), ts: ts(sec), ...draft });

  it('CRLF line ends, blank lines and a last line without its newline', async () => {
    const a = line(0, { type: 'queue.joined', callId: 'a', queueId: 'sales', position: 1, priority: 0 });
    const b = line(1, { type: 'call.abandoned', callId: 'b', queueId: 'sales', waitMs: 7000, whileRinging: false, position: 1 });
    const c = line(2, { type: 'agent.state-changed', agentId: '1001', from: 'available', to: 'not-ready', reason: 'break' });
    const text = `${JSON.stringify(a)}\r\n\r\n\n   \n${JSON.stringify(b)}\r\n${JSON.stringify(c)}`;
    for (const chunkBytes of [1 << 20, 9]) expect(await visit(text, { chunkBytes })).toEqual({ events: [a, b, c].map(projected), warnings: [] });
  });

  it('unwanted lines with CRLF ends are skipped whole; a torn one ending in CR is still reported (line ends found in the bytes)', async () => {
    const a = line(0, { type: 'queue.joined', callId: 'a', queueId: 'sales', position: 1, priority: 0 });
    const menu = line(1, { type: 'menu.entered', callId: 'x', flowId: 'f', nodeId: 'n', attempt: 1 });
    const file = join(dir, 'events-2024-05-01.jsonl');
    const text = `${JSON.stringify(menu)}\r\n${JSON.stringify(a)}\r\n${JSON.stringify(menu).slice(0, 90)}\r\n${JSON.stringify(menu)}\r\n`;
    for (const chunkBytes of [1 << 20, 7]) {
      const { events, warnings } = await visit(text, { chunkBytes });
      expect(events).toEqual([projected(a)]);
      expect(warnings).toEqual([`${file}:3: invalid JSON (torn or corrupt line); line skipped`]);
    }
  });

  it('a torn line in the middle of the file and a torn last line are skipped with a warning naming file:line', async () => {
    const a = line(0, { type: 'queue.joined', callId: 'a', queueId: 'sales', position: 1, priority: 0 });
    const menu = line(1, { type: 'menu.entered', callId: 'x', flowId: 'f', nodeId: 'n', attempt: 1 });
    const file = join(dir, 'events-2024-05-01.jsonl');
    // A torn wanted line, a torn unwanted one (still reported), then garbage that is not JSON.
    const text = [JSON.stringify(a).slice(0, 70), JSON.stringify(a), JSON.stringify(menu).slice(0, 80), 'not json at all', JSON.stringify(a), `${JSON.stringify(a).slice(0, 90)}`].join('\n');
    const { events, warnings } = await visit(text);
    expect(events).toEqual([projected(a), projected(a)]);
    expect(warnings).toEqual([1, 3, 4, 6].map((n) => `${file}:${n}: invalid JSON (torn or corrupt line); line skipped`));
  });

  it('values: UTF-8 strings, negative, decimal and exponent numbers, arrays read in place; null and escapes through JSON.parse', async () => {
    const events = [
      line(0, { type: 'agent.state-changed', agentId: '1001', from: 'available', to: 'not-ready', reason: '午餐 lunch' }),
      line(1, { type: 'call.abandoned', callId: 'n', queueId: 'q', waitMs: -5, whileRinging: true, position: 1 }),
      line(2, { type: 'call.abandoned', callId: 'd', queueId: 'q', waitMs: 1234.5, whileRinging: false, position: 1 }),
      line(3, { type: 'call.abandoned', callId: 'e', queueId: 'q', waitMs: 1.5e3, whileRinging: false, position: 1 }),
      line(4, { type: 'queue.joined', callId: 's', queueId: 'vip', position: 1, priority: 0, skills: ['sales', '[x]', '{y}'], extra: { nested: [1, { a: '}' }] } }),
      line(5, { type: 'agent.state-changed', agentId: '1002', from: 'on-call', to: 'wrap-up', reason: null }),
      line(6, { type: 'agent.state-changed', agentId: 'a"b\\c', from: 'x', to: 'y' }),
    ];
    const { events: out, warnings } = await visit(events.map((e) => JSON.stringify(e)).join('\n') + '\n');
    expect(warnings).toEqual([]);
    expect(out).toEqual([
      ...events.slice(0, 5).map(projected),
      events[5], // null: the line went through JSON.parse, every field kept (reason stays null)
      events[6], // an escape: JSON.parse
    ]);
  });

  it('the reused event object: visitEvents gives one object, readEventBatches copies of it', async () => {
    const a = line(0, { type: 'queue.joined', callId: 'a', queueId: 'sales', position: 1, priority: 0 });
    const b = line(1, { type: 'queue.joined', callId: 'b', queueId: 'support', position: 2, priority: 0 });
    await writeFile(join(dir, 'events-2024-05-01.jsonl'), `${JSON.stringify(a)}\n${JSON.stringify(b)}\n`);
    const seen: unknown[] = [];
    await visitEvents(dir, { fields }, (ev) => seen.push(ev));
    expect(seen[0]).toBe(seen[1]);
    const batches: unknown[] = [];
    for await (const batch of readEventBatches(dir, { fields })) batches.push(...batch);
    expect(batches).toEqual([projected(a), projected(b)]);
  });
});

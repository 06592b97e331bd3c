import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventLogError, JsonlEventLog } from '../../../src/adapters/event-log/jsonl-event-log.js';
import type { HotlineEvent } from '../../../src/domain/metrics/events.js';
import { at, captureLogger, collect, joined, openFdsUnder } from './helpers.js';

let root: string;
let dir: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'hotline-eventlog-'));
  dir = join(root, 'events'); // not created yet: the log makes it
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function lines(file: string): Promise<string[]> {
  const text = await readFile(join(dir, file), 'utf8');
  expect(text.endsWith('\n')).toBe(true);
  return text.slice(0, -1).split('\n');
}

describe('JsonlEventLog', () => {
  it('keeps append order and splits files by the UTC day of each event ts', async () => {
    const log = new JsonlEventLog({ dir });
    const evs = [
      joined('2024-05-01T23:59:59.998Z', 'c1'),
      joined('2024-05-01T23:59:59.999Z', 'c2'),
      joined('2024-05-02T00:00:00.000Z', 'c3'),
      joined('2024-05-01T23:59:59.999Z', 'c4'), // stamped before midnight, appended late
      joined('2024-05-02T08:00:00.000Z', 'c5'),
    ];
    for (const ev of evs) log.append(ev);
    await log.close();

    expect((await readdir(dir)).sort()).toEqual(['events-2024-05-01.jsonl', 'events-2024-05-02.jsonl']);
    expect(await lines('events-2024-05-01.jsonl')).toEqual([evs[0], evs[1], evs[3]].map((e) => JSON.stringify(e)));
    expect(await lines('events-2024-05-02.jsonl')).toEqual([evs[2], evs[4]].map((e) => JSON.stringify(e)));

    const { events, warnings } = await collect(dir);
    expect(warnings).toEqual([]);
    expect(events.map((e) => (e as { callId: string }).callId)).toEqual(['c1', 'c2', 'c4', 'c3', 'c5']);
  });

  it('flush() resolves once what was appended is in the file, and the log keeps working after', async () => {
    const log = new JsonlEventLog({ dir });
    log.append(joined('2024-05-01T10:00:00.000Z', 'a'));
    log.append(joined('2024-05-01T10:00:01.000Z', 'b'));
    await log.flush();
    expect(await lines('events-2024-05-01.jsonl')).toHaveLength(2);
    log.append(joined('2024-05-01T10:00:02.000Z', 'c'));
    await log.flush();
    expect(await lines('events-2024-05-01.jsonl')).toHaveLength(3);
    await log.close();
    expect(openFdsUnder(dir)).toEqual([]);
  });

  it('writes in size-limited batches without reordering or tearing lines (unicode included)', async () => {
    const log = new JsonlEventLog({ dir, maxBufferBytes: 1000 });
    const evs: HotlineEvent[] = [];
    for (let i = 0; i < 2000; i++) {
      const ts = Date.parse('2024-05-01T00:00:00.000Z') + i * 60_000; // spans two days
      evs.push(at(new Date(ts).toISOString(), { type: 'call.offered', callId: `c${i}`, from: `张三-${'x'.repeat(i % 97)}`, to: '400800' }));
    }
    for (const ev of evs) log.append(ev);
    await log.close();
    const { events, warnings } = await collect(dir);
    expect(warnings).toEqual([]);
    expect(events).toEqual(evs);
  });

  it('close() releases every file handle and is idempotent', async () => {
    const log = new JsonlEventLog({ dir });
    log.append(joined('2024-05-01T10:00:00.000Z', 'a'));
    log.append(joined('2024-05-02T10:00:00.000Z', 'b'));
    await log.flush();
    if (process.platform === 'linux') expect(openFdsUnder(dir).length).toBe(2);
    await Promise.all([log.close(), log.close()]);
    await log.close();
    expect(openFdsUnder(dir)).toEqual([]);
  });

  it('keeps at most two day files open while days roll over', async () => {
    const log = new JsonlEventLog({ dir });
    for (let d = 1; d <= 5; d++) {
      log.append(joined(`2024-05-0${d}T10:00:00.000Z`, `c${d}`));
      await log.flush();
      if (process.platform === 'linux') expect(openFdsUnder(dir).length).toBeLessThanOrEqual(2);
    }
    await log.close();
    expect((await collect(dir)).events).toHaveLength(5);
  });

  it('an append after close is a logged error value, not a crash, and writes nothing', async () => {
    const { logger, lines: logLines } = captureLogger();
    const log = new JsonlEventLog({ dir, logger });
    log.append(joined('2024-05-01T10:00:00.000Z', 'before'));
    await log.close();
    expect(() => log.append(joined('2024-05-01T10:00:01.000Z', 'after'))).not.toThrow();
    await log.flush(); // still settles after close
    const errors = logLines.filter((l) => l.level >= 50);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.err?.code).toBe('HOTLINE_E_EVENT_LOG_CLOSED');
    expect(errors[0]?.['callId']).toBe('after');
    expect(await lines('events-2024-05-01.jsonl')).toHaveLength(1);
  });

  it('drops an event without a valid ts with a logged error', async () => {
    const { logger, lines: logLines } = captureLogger();
    const log = new JsonlEventLog({ dir, logger });
    log.append({ ...joined('2024-05-01T10:00:00.000Z', 'bad'), ts: Number.NaN });
    log.append(joined('2024-05-01T10:00:00.000Z', 'good'));
    await log.close();
    expect(logLines.map((l) => l.err?.code)).toEqual(['HOTLINE_E_EVENT_INVALID']);
    expect((await collect(dir)).events.map((e) => (e as { callId: string }).callId)).toEqual(['good']);
  });

  it('a failed write is logged and makes the next flush() reject once; the process does not crash', async () => {
    const { logger, lines: logLines } = captureLogger();
    const blocked = join(root, 'not-a-dir');
    await writeFile(blocked, 'x');
    const log = new JsonlEventLog({ dir: blocked, logger });
    log.append(joined('2024-05-01T10:00:00.000Z', 'a'));
    const err = await log.flush().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(EventLogError);
    expect((err as EventLogError).code).toBe('HOTLINE_E_EVENT_LOG_WRITE');
    expect(logLines.some((l) => l.err?.code === 'HOTLINE_E_EVENT_LOG_WRITE')).toBe(true);
    await expect(log.flush()).resolves.toBeUndefined();
    await expect(log.close()).resolves.toBeUndefined();
  });

  it('starts a fresh line when reopening a file whose last line was torn by a crash', async () => {
    const good = joined('2024-05-01T10:00:00.000Z', 'kept');
    const torn = JSON.stringify(joined('2024-05-01T10:00:01.000Z', 'torn')).slice(0, 40);
    await mkdir(dir);
    await writeFile(join(dir, 'events-2024-05-01.jsonl'), JSON.stringify(good) + '\n' + torn);

    const { logger, lines: logLines } = captureLogger();
    const log = new JsonlEventLog({ dir, logger });
    const next = joined('2024-05-01T10:00:02.000Z', 'next');
    log.append(next);
    await log.close();
    expect(logLines.some((l) => l.level === 40 && /torn line/.test(l.msg))).toBe(true);

    expect(await lines('events-2024-05-01.jsonl')).toEqual([JSON.stringify(good), torn, JSON.stringify(next)]);
    const { events, warnings } = await collect(dir);
    expect(events).toEqual([good, next]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`${join(dir, 'events-2024-05-01.jsonl')}:2:`);
  });
});

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { QueueLogImporter } from '../../../src/adapters/queue-log/queue-log-import.js';
import { parseQueueLogLine } from '../../../src/adapters/queue-log/queue-log-line.js';
import { EVENT_EXAMPLES } from './event-examples.js';
import { FULL } from './full-fixture.js';
import { FIXTURE } from './report-fixture.js';

const docsDir = fileURLToPath(new URL('../../../docs/', import.meta.url));
const schema = JSON.parse(readFileSync(`${docsDir}events.schema.json`, 'utf8')) as object;
const eventsMd = readFileSync(`${docsDir}events.md`, 'utf8');
const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);

function errorsOf(value: unknown): string {
  return validate(value) ? '' : JSON.stringify(validate.errors);
}

/** The event lines shown in docs/events.md: lines of ```json blocks that are JSON objects with a type. */
function docExampleLines(): string[] {
  const lines: string[] = [];
  for (const block of eventsMd.matchAll(/```json\n([\s\S]*?)```/g)) {
    for (const line of (block[1] ?? '').split('\n')) if (line.startsWith('{"time"')) lines.push(line);
  }
  return lines;
}

describe('docs/events.schema.json', () => {
  it('accepts the example of every event type', () => {
    for (const ev of Object.values(EVENT_EXAMPLES)) expect(errorsOf(ev), ev.type).toBe('');
  });

  it('accepts every event of the report fixtures (optional fields left out, every type present)', () => {
    for (const ev of [...FIXTURE, ...FULL]) expect(errorsOf(ev), ev.type).toBe('');
  });

  it('accepts every event the queue_log import makes (imported, importedFrom, sourceEvent, queueLog)', async () => {
    const text = await readFile(fileURLToPath(new URL('../queue-log/fixtures/queue_log', import.meta.url)), 'utf8');
    const importer = new QueueLogImporter();
    const events = text
      .split('\n')
      .filter(Boolean)
      .flatMap((line) => {
        const rec = parseQueueLogLine(line);
        return typeof rec === 'string' ? [] : importer.push(rec);
      });
    expect(events.length).toBeGreaterThan(58);
    for (const ev of events) expect(errorsOf(ev), JSON.stringify(ev)).toBe('');
    expect(validate({ ...events[0], imported: false })).toBe(false);
    expect(validate({ ...events[0], queueLog: { extra: 'x' } })).toBe(false);
  });

  it('docs/events.md shows exactly the examples, one per type, each valid', () => {
    const shown = docExampleLines();
    expect([...shown].sort()).toEqual(Object.values(EVENT_EXAMPLES).map((e) => JSON.stringify(e)).sort());
    for (const line of shown) expect(errorsOf(JSON.parse(line))).toBe('');
    for (const type of Object.keys(EVENT_EXAMPLES)) expect(eventsMd).toContain(`### \`${type}\``);
  });

  it('rejects lines that break the contract', () => {
    const answered = EVENT_EXAMPLES['call.answered'];
    const { waitMs: _w, ...noWait } = answered as unknown as Record<string, unknown>;
    expect(validate(noWait)).toBe(false);
    expect(validate({ ...answered, waitMs: '31200' })).toBe(false);
    expect(validate({ ...answered, waitMs: -1 })).toBe(false);
    expect(validate({ ...answered, extra: 1 })).toBe(false);
    expect(validate({ ...answered, type: 'call.teleported' })).toBe(false);
    expect(validate({ ...answered, time: '2024-05-01 09:00:52' })).toBe(false);
    expect(validate({ ...EVENT_EXAMPLES['menu.failed'], kind: 'hangup' })).toBe(false);
  });
});

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { EVENT_EXAMPLES } from './event-examples.js';
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

  it('accepts every event of the report fixture (optional fields left out)', () => {
    for (const ev of FIXTURE) expect(errorsOf(ev), ev.type).toBe('');
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

/**
 * The byte-level decoder (line-decoder.ts) against JSON.parse: for every line, the projection read with
 * `fields` must equal the projection of JSON.parse's object, and every line JSON.parse refuses must be
 * skipped with a warning. Lines in the writer's layout take the fast path (keys compared whole with the
 * last line's, known types compared whole, string values from the cache); the rest go through JSON.parse.
 * Each case runs with read chunks of a few bytes (lines and words cut at every place) and of 1 MiB.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readEventBatches, visitEvents } from '../../../src/adapters/event-log/read-events.js';
import type { EventFields } from '../../../src/domain/metrics/report.js';
import { prng } from '../../support/prng.js';

const FIELDS: EventFields = {
  'call.offered': { callId: 'string', from: 'string' },
  'call.answered': { callId: 'string', agentId: 'string', waitMs: 'number', whileRinging: 'boolean' },
  'queue.joined': { callId: 'string', skills: 'complex' },
  'x.y': { callId: 'string' },
};

const TIME = '2024-05-01T09:00:00.000Z';
const TS = Date.parse(TIME);
/** A line in the writer's layout: time, ts, type, then `rest` (the text after the type's closing quote). */
const line = (type: string, rest: string, ts = TS): string => `{"time":"${TIME}","ts":${ts},"type":"${type}"${rest}`;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hotline-decoder-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function project(ev: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ts: ev['ts'], type: ev['type'] };
  for (const key of Object.keys(FIELDS[ev['type'] as string] ?? {})) if (ev[key] !== undefined) out[key] = ev[key];
  return out;
}

/** What JSON.parse makes of the lines: the projections of the wanted events, and the numbers of the lines it refuses. */
function expected(lines: string[]): { events: Array<Record<string, unknown>>; bad: number[] } {
  const events: Array<Record<string, unknown>> = [];
  const bad: number[] = [];
  lines.forEach((text, i) => {
    try {
      const ev = JSON.parse(text) as Record<string, unknown>;
      if (typeof ev['type'] === 'string' && ev['type'] in FIELDS) events.push(project(ev));
    } catch {
      bad.push(i + 1);
    }
  });
  return { events, bad };
}

async function decoded(lines: string[], chunkBytes: number): Promise<{ events: Array<Record<string, unknown>>; bad: number[] }> {
  await writeFile(join(dir, 'events-2024-05-01.jsonl'), lines.join('\n') + '\n');
  const events: Array<Record<string, unknown>> = [];
  const bad: number[] = [];
  const onWarning = (w: string): void => void bad.push(Number(/:(\d+): /.exec(w)?.[1]));
  for await (const batch of readEventBatches(dir, { fields: FIELDS, chunkBytes, onWarning })) {
    for (const ev of batch) events.push(project(ev as unknown as Record<string, unknown>));
  }
  return { events, bad };
}

const CHUNKS = [7, 64, 1 << 20];

describe('line decoder: fast path equals JSON.parse', () => {
  const cases: Record<string, string[]> = {
    'the same type with its keys in another order, or an extra key, from one line to the next': [
      line('call.answered', ',"callId":"c1","agentId":"A","waitMs":5}'),
      line('call.answered', ',"agentId":"B","callId":"c2","waitMs":6}'),
      line('call.answered', ',"agentId":"B","queueId":"q","callId":"c3","waitMs":7,"whileRinging":true}'),
      line('call.answered', ',"callId":"c4","agentId":"C","waitMs":8}'),
      line('call.answered', ',"callId":"c5","agentId":"C","waitMs":8,"whileRinging":false}'),
    ],
    'a field left out reads undefined, after a line of the same or another type that had it': [
      line('call.answered', ',"callId":"c1","agentId":"A","waitMs":5}'),
      line('call.answered', ',"callId":"c2","waitMs":6}'),
      line('call.offered', ',"callId":"c3","from":"138"}'),
      line('call.answered', ',"callId":"c4"}'),
    ],
    'escapes and non-ASCII strings': [
      line('call.offered', ',"callId":"c\\"1","from":"a\\\\b"}'),
      line('call.offered', ',"callId":"c2","from":"张三"}'),
      line('call.offered', ',"callId":"c3","from":"\\u00e9t\\u00e9"}'),
      line('call.offered', ',"callId":"ünïcode","to":"𝄞"}'),
    ],
    'numbers of every JSON form, and values that are not JSON': [
      line('call.answered', ',"callId":"c1","waitMs":-12}'),
      line('call.answered', ',"callId":"c2","waitMs":1.5}'),
      line('call.answered', ',"callId":"c3","waitMs":1e3}'),
      line('call.answered', ',"callId":"c4","waitMs":12345678901234567890}'),
      line('call.answered', ',"callId":"c5","waitMs":-0}'),
      line('call.answered', ',"callId":"c7","waitMs":--1}'),
      line('call.answered', ',"callId":"c8","waitMs":null}'),
      line('call.answered', ',"callId":"c9","waitMs":"5"}'),
      line('call.answered', ',"callId":"c10","waitMs":tru}'),
      line('call.answered', ',"callId":"c11","waitMs":012}'),
      line('call.answered', ',"callId":"c12","waitMs":-012}'),
      line('call.answered', ',"callId":"c13","waitMs":0}'),
      line('call.answered', ',"callId":"c14","waitMs":1.}'),
      line('call.answered', ',"callId":"c15","waitMs":-.5}'),
      line('call.answered', ',"callId":"c16","waitMs":1.e3}'),
      line('call.answered', ',"callId":"c17","waitMs":1e}'),
      line('call.answered', ',"callId":"c18","waitMs":1E+2}'),
      line('call.answered', ',"callId":"c19","waitMs":0.5e-1}'),
      line('call.answered', ',"callId":"c20","waitMs":00}'),
      line('call.answered', ',"callId":"c21","waitMs":-}'),
      line('call.answered', ',"callId":"c22","waitMs":1e+}'),
      line('call.answered', ',"callId":"c23","waitMs":1.5'),
      line('call.answered', ',"callId":"c24","waitMs":12'),
    ],
    // After lines of one layout, the keys are matched whole with the last line's; the number after one varies.
    'numbers after a key learned from the last line: every length, and forms only Number() or JSON.parse read': [
      '5', '12', '123', '1234', '12345', '1234567', '12345678', '123456789012', '123456789012345', '1234567890123456', '0', '00', '012', '0123', '-5', '1.5', '1e3', '7', '1234 ', '1234x', '1234', '-0', '1234.', '99999999',
    ].flatMap((n) => [
      line('call.answered', `,"callId":"c1","agentId":"A","waitMs":${n}}`),
      line('call.answered', `,"callId":"c1","agentId":"A","waitMs":${n},"x":1}`),
      line('call.answered', ',"callId":"c1","agentId":"A","waitMs":5}'),
    ]),
    'a layout learned, then the keys in another order, a key more or less, a value of another kind, mid-log': [
      line('call.answered', ',"callId":"c1","agentId":"A","waitMs":5}'),
      line('call.answered', ',"callId":"c1","agentId":"A","waitMs":6}'),
      line('call.answered', ',"agentId":"A","callId":"c1","waitMs":7}'),
      line('call.answered', ',"agentId":"A","callId":"c1","waitMs":8}'),
      line('call.answered', ',"callId":"c1","agentId":"A","waitMs":9}'),
      line('call.answered', ',"callId":"c1","agentId":"A"}'),
      line('call.answered', ',"callId":"c1","agentId":"A","waitMs":10,"whileRinging":true}'),
      line('call.answered', ',"callId":"c1","agentId":"A","waitMs":11,"whileRinging":false}'),
      line('call.answered', ',"callId":"c1","agentId":"A","waitMs":11,"whileRinging":false}'),
      line('call.answered', ',"callId":"c1","agentId":"A","waitMs":"12","whileRinging":false}'),
      line('call.answered', ',"callId":"c1","agentId":7,"waitMs":12}'),
      line('call.answered', ',"callId":"c1","agentId":"A","waitMs":12}'),
      line('call.answered', ',"callId":"c1","agentId":"B","waitMs":13}'),
      line('call.answered', ',"callId":"c1","agentId":"B\\","waitMs":13}'),
      line('call.answered', ',"callId":"c1","agentIdX":"B","waitMs":13}'),
      line('call.answered', ',"callId":"c1","agentI":"B","waitMs":13}'),
      line('call.answered', ',"callId":"c1","agentId":"B","waitMs":13'),
      line('call.answered', ',"callId":"c1","agentId":"B","waitMs":13}'),
      line('call.answered', ',"callId":"c1","agentId":"B","waitMs":13,}'),
      line('call.answered', ',"callId":"c1","agentId":"B",,"waitMs":13}'),
      line('call.answered', ',"callId":"c1","agentId":"B""waitMs":13}'),
      line('call.answered', ',"callId":"c1","agentId":"B","waitMs":13}'),
      line('call.offered', ',"callId":"c1","agentId":"B","waitMs":13}'),
      line('call.answered', ',"callId":"c1","agentId":"B","waitMs":13}'),
    ],
    'nested objects and arrays, wanted and not': [
      line('queue.joined', ',"callId":"c1","skills":["en","sales"]}'),
      line('queue.joined', ',"callId":"c2","meta":{"a":[1,{"b":"}]"}],"c":{}},"skills":[]}'),
      line('queue.joined', ',"callId":"c3","meta":{"a":[1,2}'),
      line('queue.joined', ',"callId":"c4","skills":["e\\"n"]}'),
    ],
    'torn lines: cut anywhere, or run into the next line': [
      line('call.answered', ',"callId":"c1","agentId":"A","waitMs":5').slice(0, 90),
      line('call.answered', ',"callId":"c2","agentId":"A","waitMs":5'),
      line('call.answered', ',"callId":"c3","agentId":"A","waitMs":5}').slice(0, 120) + line('call.answered', ',"callId":"c4","agentId":"A","waitMs":5}'),
      line('call.answered', ',"callId":"c5","agentId":"A","waitMs":5}'),
      line('call.answered', ',"callId":"c6","agentId":"A","waitMs":5,}'),
      line('call.answered', ',"callId":"c7","agentId":"A","waitMs":5}}'),
      line('call.answered', ',"callId":"c8","agentId":"A","waitMs":5} x'),
      line('call.answered', ',"callId":"c9","agentId":"A" ,"waitMs":5}'),
      line('call.answered', ',"callId":"c10","agentId":"A","waitMs":5}'),
    ],
    'types: unwanted ones (seen again and again) skipped, close names told apart, short ones decoded': [
      line('menu.entered', ',"callId":"c1"}'),
      line('menu.entered', ',"callId":"c2"}'),
      line('menu.entered', ',"callId":"c3"'),
      line('call.answeredX', ',"callId":"c4"}'),
      line('call.answered', ',"callId":"c5"}'),
      line('call.answere', ',"callId":"c6"}'),
      line('x.y', ',"callId":"c7"}'),
      line('x.y', ',"callId":"c8"}'),
      line('x.yz', ',"callId":"c9"}'),
      line('call.offered', ',"callId":"c10"}'),
    ],
    'ts of any length (read four digits at a time up to 12, then one by one up to 15), fractions, signs': [
      line('x.y', ',"callId":"c1"}', 5),
      line('x.y', ',"callId":"c2"}', 1234),
      line('x.y', ',"callId":"c3"}', 12345),
      line('x.y', ',"callId":"c4"}', 123456789012),
      line('x.y', ',"callId":"c5"}', 123456789012345),
      line('x.y', ',"callId":"c6"}', 1234567890123456),
      line('x.y', ',"callId":"c7"}').replace(`"ts":${TS}`, `"ts":${TS}.5`),
      line('x.y', ',"callId":"c8"}').replace(`"ts":${TS}`, `"ts":-${TS}`),
      line('x.y', ',"callId":"c9"}').replace(`"ts":${TS}`, `"ts":1e3`),
      line('x.y', ',"callId":"c10"}').replace(`"ts":${TS}`, `"ts":12:4`),
    ],
    'long values with a quote escape, a backslash, a non-ASCII character or a cut at every offset': [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].flatMap((at) => {
      const plain = 'abcdefghijklmnop';
      const withChar = (c: string): string => plain.slice(0, at) + c + plain.slice(at);
      return [
        line('call.offered', `,"callId":"${plain.slice(0, at + 1)}","from":"${withChar('\\"')}"}`),
        line('call.offered', `,"callId":"${withChar('\\\\')}","to":"${withChar('\\n')}"}`),
        line('call.offered', `,"callId":"${withChar('é')}","to":"${withChar('中')}","from":"${plain.slice(0, at)}"}`),
        line('call.offered', `,"to":"${withChar('\x7f')}","callId":"${plain.slice(at)}"}`),
        line('call.offered', `,"callId":"${plain.slice(0, at)}`),
        line('call.offered', `,"flowId":"${plain.slice(0, at)}`),
      ];
    }),
    // Values seen before at a key are matched whole, four bytes at a time (value-table.ts).
    'values seen before, of every length, as prefixes and extensions of each other, with an escape or a cut after a kept one': [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 21, 22, 23, 24, 25, 30].flatMap((len) => {
      const v = 'abcdefghijklmnopqrstuvwxyz0123456789'.slice(0, len);
      return [
        line('call.offered', `,"callId":"${v}","from":"${v}","to":"${v}"}`),
        line('call.offered', `,"callId":"${v}","from":"${v}","to":"${v}"}`),
        line('call.offered', `,"callId":"${v}x","from":"${v.slice(0, -1)}","to":"${v}"}`),
        line('call.offered', `,"callId":"${v}","from":"${v}\\"","to":"${v}\\\\"}`),
        line('call.offered', `,"callId":"${v}","from":"${v}é","to":"${v}"}`),
        line('call.offered', `,"callId":"${v}","from":"${v}","to":"${v}`),
        line('call.offered', `,"callId":"${v}","from":"${v}`),
        line('call.offered', `,"callId":"${v}","from":"${v}"`),
        line('call.offered', `,"callId":"${v}","from":5,"to":"${v}"}`),
        line('call.offered', `,"callId":"${v}"}`),
        line('call.offered', `,"callId":"${v}","from":"${v}","to":"${v}"}`),
      ];
    }),
    'the same values after other keys, and non-ASCII values seen again': [
      line('call.answered', ',"callId":"c1","agentId":"A1","waitMs":5}'),
      line('call.answered', ',"agentId":"c1","callId":"A1","waitMs":5}'),
      line('call.answered', ',"callId":"A1","agentId":"c1","waitMs":5}'),
      line('call.answered', ',"callId":"张三","agentId":"张三","waitMs":5}'),
      line('call.answered', ',"callId":"张三","agentId":"张三","waitMs":5}'),
      line('call.answered', ',"callId":"张","agentId":"张三三","waitMs":5}'),
      line('call.answered', ',"callId":"c1","agentId":"A1","waitMs":"A1"}'),
      line('call.answered', ',"callId":"c1","agentId":"A1","waitMs":5}'),
      // agentId is wanted in call.answered, not in call.offered: a value matched in one is not taken from the other.
      line('call.offered', ',"callId":"c2","agentId":"A7"}'),
      line('call.answered', ',"callId":"c2","agentId":"A7","waitMs":5}'),
      line('call.offered', ',"callId":"c2","agentId":"A7"}'),
      line('call.answered', ',"agentId":"A8","callId":"c3"}'),
      line('call.offered', ',"agentId":"A8","callId":"c3"}'),
      line('call.answered', ',"agentId":"A8","callId":"c3"}'),
    ],
    'raw control characters in strings (JSON.parse refuses them), wanted or not, in keys, types and nested values': ['\t', '\x01', '\x1f', '\r'].flatMap((c) => [
      line('call.offered', `,"callId":"c${c}1","from":"138"}`),
      line('call.offered', `,"callId":"c2","to":"4${c}00"}`),
      line('call.offered', `,"call${c}Id":"c3"}`),
      line(`call.${c}offered`, ',"callId":"c4"}'),
      line('queue.joined', `,"callId":"c5","skills":["e${c}n"]}`),
      line('queue.joined', `,"callId":"c6","meta":{"a":"${c}"}}`),
      line('call.offered', ',"callId":"c7","from":"138"}'),
    ]),
    'many ids of equal length (the string cache keeps each its own bytes)': Array.from({ length: 300 }, (_, i) =>
      line('call.offered', `,"callId":"c${String(i).padStart(4, '0')}","from":"${String(i * 7919).padStart(6, '0')}"}`),
    ),
  };

  // Lines of many shapes: a few layouts per type, switched between at random, values of every kind, some cut or damaged.
  cases['random layouts, values and damage (seeded)'] = randomLines(1500, 20240501);

  for (const [name, lines] of Object.entries(cases)) {
    it.each(CHUNKS)(`${name} (chunks of %i bytes)`, async (chunkBytes) => {
      expect(await decoded(lines, chunkBytes)).toEqual(expected(lines));
    });
  }

  it('the reused event object of visitEvents shows no field of an earlier line, even of a line refused half-way', async () => {
    const lines = [
      line('call.answered', ',"callId":"c1","agentId":"A","waitMs":5}'),
      line('call.answered', ',"callId":"c2","agentId":"B","waitMs":tru}'),
      line('call.offered', ',"callId":"c3","from":"138"}'),
      line('call.answered', ',"callId":"c4"}'),
    ];
    await writeFile(join(dir, 'events-2024-05-01.jsonl'), lines.join('\n') + '\n');
    const seen: Array<[unknown, unknown, unknown]> = [];
    await visitEvents(dir, { fields: FIELDS, onWarning: () => undefined }, (ev) => {
      const e = ev as unknown as Record<string, unknown>;
      seen.push([e['callId'], e['agentId'], e['from']]);
    });
    expect(seen).toEqual([
      ['c1', 'A', undefined],
      ['c3', undefined, '138'],
      ['c4', undefined, undefined],
    ]);
  });
});

function randomLines(count: number, seed: number): string[] {
  const random = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
  const types = ['call.offered', 'call.answered', 'queue.joined', 'x.y', 'menu.entered'];
  const keys = ['callId', 'agentId', 'from', 'waitMs', 'whileRinging', 'skills', 'to', 'queueId', 'n'];
  const values = [
    () => `"c${Math.floor(random() * 30)}"`,
    () => `"${pick(['A', 'B1', 'agent-0001', 'abcdefghijklmnopqrstuvwxyz', '张三', 'q\\"x', ''])}"`,
    () => String(Math.floor(random() * 10 ** Math.floor(random() * 17))),
    () => pick(['-3', '0', '1.5', '2e3', '012', 'true', 'false', 'null', '[]', '["en","fr"]', '{"a":1}', '"5"']),
  ];
  // Lines of a type no reader wants are skipped unread (a damaged one without a warning): those stay valid JSON.
  const valid = [values[0], values[1], values[2], () => pick(['-3', '0', '1.5', 'true', 'null', '["en"]'])] as const;
  // Each type keeps a few layouts (key orders and value kinds), as a writer's versions would.
  const layouts = new Map(types.map((t) => [t, Array.from({ length: 3 }, () => [...keys].sort(() => random() - 0.5).slice(0, 1 + Math.floor(random() * 6)).map((k) => [k, pick(values)] as const))]));
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const type = pick(types);
    const all = layouts.get(type) ?? [];
    // Mostly the type's first layout, so learned keys are matched, then missed.
    const layout = random() < 0.7 ? all[0] ?? [] : pick(all);
    const wanted = type in FIELDS;
    let text = line(type, `${layout.map(([k, v], at) => `,"${k}":${wanted ? (random() < 0.9 ? v() : pick(values)()) : (valid[at % valid.length] ?? v)()}`).join('')}}`);
    const damage = wanted ? random() : 1;
    if (damage < 0.03) text = text.slice(0, Math.floor(random() * text.length));
    else if (damage < 0.06) {
      const at = 60 + Math.floor(random() * (text.length - 60));
      text = text.slice(0, at) + pick([',', '"', ' ', '}', '\\', 'x']) + text.slice(at);
    }
    lines.push(text);
  }
  return lines;
}

/**
 * Streams events back from the day files, oldest day first. Memory stays constant whatever the size of the
 * log: files are read in chunks (1 MiB) and only the lines of the current chunk are held.
 *
 * Speed (a month of logs is tens of millions of lines): lines are looked at in place in their chunk's
 * string (line-reader.ts), and events come out in arrays, one per chunk (`readEventBatches`), so there is
 * one await per chunk rather than per event. A line this writer produced (`{"time":"…","ts":N,"type":"…"`
 * first, as JSON.stringify of a stamped event writes it) whose ts is out of range or whose type is not
 * wanted is skipped without a string or JSON.parse; with `fields`, a wanted one is decoded field by field.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { HotlineEvent } from '../../domain/metrics/events.js';
import type { EventFields, FieldKind } from '../../domain/metrics/report.js';
import { DAY_MS, dayOfFileName, dayStartMs } from './day-files.js';
import { readLineGroups, type LineGroup } from './line-reader.js';

export interface ReadEventsOptions {
  /** Only events with ts ≥ fromMs (ms since epoch). */
  fromMs?: number;
  /** Only events with ts < toMs (exclusive). */
  toMs?: number;
  /** Told about every skipped line, as `file:line: reason`. */
  onWarning?: (message: string) => void;
  /** Lines longer than this are skipped as corrupt (default 1 MiB); bounds memory on a damaged file. */
  maxLineBytes?: number;
  /** Only events of these types; others are skipped, unparsed when the line has this writer's layout. */
  types?: ReadonlySet<string>;
  /**
   * Only events of these types, decoded with only these fields (plus ts and type) when the line has
   * this writer's layout and no escape sequence: much cheaper than JSON.parse. Other lines are parsed
   * whole. The events are then projections: a consumer must read no other field.
   */
  fields?: EventFields;
  /** Bytes read so far over all files, after each chunk (progress bars). */
  onProgress?: (bytesRead: number) => void;
  /** Read size (default 1 MiB). */
  chunkBytes?: number;
}

/** `{"time":"2024-05-01T09:00:00.000Z","ts":` — the fixed-width start of every line JsonlEventLog writes. */
const TIME_PREFIX = '{"time":"';
const TS_KEY_AT = TIME_PREFIX.length + 24;
const TS_KEY = '","ts":';
const TYPE_KEY = ',"type":"';

/** Day files of `dir` overlapping [fromMs, toMs), in day order. Throws a clear error if `dir` is missing. */
export async function listDayFiles(dir: string, fromMs?: number, toMs?: number): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'not found' : code === 'ENOTDIR' ? 'not a directory' : 'unreadable';
    throw new Error(`event log directory ${why}: ${dir}`, { cause });
  }
  const days: string[] = [];
  for (const name of names) {
    const day = dayOfFileName(name);
    if (!day) continue;
    const startMs = dayStartMs(day);
    if (toMs !== undefined && startMs >= toMs) continue;
    if (fromMs !== undefined && startMs + DAY_MS <= fromMs) continue;
    days.push(name);
  }
  // YYYY-MM-DD names sort lexically in day order.
  return days.sort();
}

/** Total size of the day files a read of [fromMs, toMs) opens (the 100 % of a progress bar). */
export async function dayFilesBytes(dir: string, fromMs?: number, toMs?: number): Promise<number> {
  let total = 0;
  for (const name of await listDayFiles(dir, fromMs, toMs)) total += (await stat(join(dir, name))).size;
  return total;
}

export async function* readEvents(dir: string, opts: ReadEventsOptions = {}): AsyncIterable<HotlineEvent> {
  for await (const batch of readEventBatches(dir, opts)) yield* batch;
}

/** The events of the log, one array per chunk read (possibly empty arrays are not yielded). */
export async function* readEventBatches(dir: string, opts: ReadEventsOptions = {}): AsyncIterable<HotlineEvent[]> {
  const maxLineBytes = opts.maxLineBytes ?? 1024 * 1024;
  const chunkBytes = opts.chunkBytes ?? 1024 * 1024;
  let bytesBefore = 0;
  for (const name of await listDayFiles(dir, opts.fromMs, opts.toMs)) {
    const path = join(dir, name);
    const reader = new LineFilter(path, opts);
    let fileBytes = 0;
    for await (const group of readLineGroups(path, maxLineBytes, chunkBytes, (n) => (fileBytes = n))) {
      const batch = reader.take(group);
      opts.onProgress?.(bytesBefore + fileBytes);
      if (batch.length > 0) yield batch;
    }
    bytesBefore += fileBytes;
  }
}

interface FieldDecoder {
  key: string;
  /**
   * `key":` — searched without its opening quote: `"` is the commonest character of a JSON line, so a needle
   * starting with it stops at every quote; the quote (and the `,` or `{` before it) is checked afterwards.
   */
  pattern: string;
  kind: FieldKind;
}

interface TypeDecoder {
  fields: FieldDecoder[];
}

/** Turns the lines of one file into events, applying the range and type filters. */
class LineFilter {
  private readonly fromMs: number;
  private readonly toMs: number;
  private readonly types: ReadonlySet<string> | undefined;
  /** Wanted types by typeSignature, to recognise a type in place without slicing it. */
  private readonly typesBySignature = new Map<number, string[]>();
  private readonly decoders: Map<string, TypeDecoder> | undefined;

  constructor(
    private readonly path: string,
    private readonly opts: ReadEventsOptions,
  ) {
    this.fromMs = opts.fromMs ?? Number.NEGATIVE_INFINITY;
    this.toMs = opts.toMs ?? Number.POSITIVE_INFINITY;
    const { fields } = opts;
    this.decoders = fields ? new Map(Object.entries(fields).map(([type, spec]) => [type, typeDecoder(spec)])) : undefined;
    this.types = fields ? new Set(Object.keys(fields)) : opts.types;
    for (const type of this.types ?? []) {
      const sig = typeSignature(type, 0, type.length);
      this.typesBySignature.set(sig, [...(this.typesBySignature.get(sig) ?? []), type]);
    }
  }

  take(group: LineGroup): HotlineEvent[] {
    const out: HotlineEvent[] = [];
    const { text, bounds } = group;
    for (let i = 0; i < bounds.length; i += 2) {
      const s = bounds[i] ?? -1;
      const e = bounds[i + 1] ?? -1;
      const lineNo = group.firstLineNo + i / 2;
      if (s < 0) {
        this.warn(lineNo, `line longer than ${this.opts.maxLineBytes ?? 1024 * 1024} bytes`);
        continue;
      }
      if (e === s) continue;
      const look = this.quickLook(text, s, e);
      if (look === SKIP) continue;
      const line = text.slice(s, e);
      if (look === WANTED) {
        const q = this.quick;
        const projected = project(line, q.ts, q.type, q.typeEnd - s, q.decoders);
        if (projected) {
          out.push(projected);
          continue;
        }
      }
      if (line.trim() === '') continue;
      const parsed = parseEvent(line);
      if (typeof parsed === 'string') {
        this.warn(lineNo, parsed);
        continue;
      }
      if (parsed.ts < this.fromMs || parsed.ts >= this.toMs) continue;
      if (this.types && !this.types.has(parsed.type)) continue;
      out.push(parsed);
    }
    return out;
  }

  /** What quickLook found on a WANTED line (one object reused for every line). */
  private readonly quick: Quick = { ts: 0, type: '', typeEnd: 0, decoders: { fields: [] } };

  /**
   * For a line of this writer's layout: SKIP when its ts is out of range or its type unwanted; WANTED, with
   * `this.quick` set, when it can be decoded field by field. PARSE when the line must be parsed whole
   * (another layout, no field list, or a line not ending in "}" that may be torn and must be reported).
   */
  private quickLook(text: string, s: number, e: number): Look {
    // `{"time":"<24 characters>","ts":<digits>,"type":"`, checked a character at a time (cheaper than
    // startsWith at an offset): { " t " : " … " , " t s " :
    if (
      text.charCodeAt(e - 1) !== 0x7d ||
      text.charCodeAt(s) !== 0x7b ||
      text.charCodeAt(s + 1) !== 0x22 ||
      text.charCodeAt(s + 2) !== 0x74 ||
      text.charCodeAt(s + 6) !== 0x22 ||
      text.charCodeAt(s + 7) !== 0x3a ||
      text.charCodeAt(s + 8) !== 0x22 ||
      text.charCodeAt(s + TS_KEY_AT) !== 0x22 ||
      text.charCodeAt(s + TS_KEY_AT + 1) !== 0x2c ||
      text.charCodeAt(s + TS_KEY_AT + 3) !== 0x74 ||
      text.charCodeAt(s + TS_KEY_AT + 4) !== 0x73 ||
      text.charCodeAt(s + TS_KEY_AT + 6) !== 0x3a
    ) {
      return PARSE;
    }
    let p = s + TS_KEY_AT + TS_KEY.length;
    let ts = 0;
    const digitsEnd = Math.min(e, p + 16);
    for (let c = text.charCodeAt(p); c >= 0x30 && c <= 0x39 && p < digitsEnd; c = text.charCodeAt(++p)) ts = ts * 10 + (c - 0x30);
    if (p === s + TS_KEY_AT + TS_KEY.length || !text.startsWith(TYPE_KEY, p)) return PARSE;
    if (ts < this.fromMs || ts >= this.toMs) return SKIP;
    if (!this.types) return PARSE;
    const typeStart = p + TYPE_KEY.length;
    const typeEnd = text.indexOf('"', typeStart);
    if (typeEnd === -1 || typeEnd >= e) return PARSE;
    const candidates = this.typesBySignature.get(typeSignature(text, typeStart, typeEnd));
    let type: string | undefined;
    if (candidates) {
      for (const t of candidates) {
        if (t.length === typeEnd - typeStart && text.startsWith(t, typeStart)) {
          type = t;
          break;
        }
      }
    }
    if (type === undefined) return SKIP;
    const decoders = this.decoders?.get(type);
    if (!decoders) return PARSE;
    const q = this.quick;
    q.ts = ts;
    q.type = type;
    q.typeEnd = typeEnd;
    q.decoders = decoders;
    return WANTED;
  }

  private warn(lineNo: number, why: string): void {
    this.opts.onWarning?.(`${this.path}:${lineNo}: ${why}; line skipped`);
  }
}

/** A number telling event types apart in place: their length, middle and last characters. */
function typeSignature(text: string, start: number, end: number): number {
  const len = end - start;
  return len * 0x10000 + text.charCodeAt(end - 1) * 0x100 + text.charCodeAt(start + (len >> 1));
}

const SKIP = 0;
const WANTED = 1;
const PARSE = 2;
type Look = typeof SKIP | typeof WANTED | typeof PARSE;

interface Quick {
  ts: number;
  type: string;
  /** Offset of the closing quote of the type in the chunk text. */
  typeEnd: number;
  decoders: TypeDecoder;
}

function typeDecoder(spec: Readonly<Record<string, FieldKind>>): TypeDecoder {
  return { fields: Object.entries(spec).map(([key, kind]) => ({ key, pattern: `${key}":`, kind })) };
}

/**
 * The wanted fields of a line of this writer's layout, found with indexOf (keys cannot occur inside string
 * values, whose quotes are escaped; so any line with a backslash is left to JSON.parse). Undefined when the
 * line needs a full parse: an escape, a complex field present, or a value not of the expected kind.
 */
function project(text: string, ts: number, type: string, typeEnd: number, decoders: TypeDecoder): HotlineEvent | undefined {
  if (text.indexOf('\\', typeEnd) !== -1) return undefined;
  const ev: Record<string, unknown> = { ts, type };
  for (const d of decoders.fields) {
    const at = keyAt(text, d.pattern, typeEnd);
    if (at === -1) continue;
    const v = at + d.pattern.length;
    switch (d.kind) {
      case 'string': {
        if (text.charCodeAt(v) !== 0x22) return undefined;
        ev[d.key] = text.slice(v + 1, text.indexOf('"', v + 1));
        break;
      }
      case 'number': {
        // Whole numbers (every duration in ms) are read in place; anything else goes through Number().
        let p = v;
        let n = 0;
        for (let c = text.charCodeAt(p); c >= 0x30 && c <= 0x39; c = text.charCodeAt(++p)) n = n * 10 + (c - 0x30);
        const next = text.charCodeAt(p);
        if (p > v && p - v < 16 && (next === 0x2c || next === 0x7d)) {
          ev[d.key] = n;
          break;
        }
        let end = text.indexOf(',', v);
        if (end === -1) end = text.length - 1;
        const parsed = Number(text.slice(v, end));
        if (!Number.isFinite(parsed) || end === v) return undefined;
        ev[d.key] = parsed;
        break;
      }
      case 'boolean': {
        const c = text.charCodeAt(v);
        if (c === 0x74) ev[d.key] = true;
        else if (c === 0x66) ev[d.key] = false;
        else return undefined;
        break;
      }
      default:
        return undefined;
    }
  }
  return ev as unknown as HotlineEvent;
}

/** Where `key":` starts as a whole key (`,"key":` or `{"key":`) at or after `from`, or -1. */
function keyAt(text: string, pattern: string, from: number): number {
  for (let at = text.indexOf(pattern, from); at !== -1; at = text.indexOf(pattern, at + 1)) {
    const before = text.charCodeAt(at - 2);
    if (text.charCodeAt(at - 1) === 0x22 && (before === 0x2c || before === 0x7b)) return at;
  }
  return -1;
}

/** The event, or why the line is not one. Unknown types pass through (newer writers, older readers). */
function parseEvent(text: string): HotlineEvent | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'invalid JSON (torn or corrupt line)';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a JSON object';
  const ev = value as Record<string, unknown>;
  if (typeof ev['type'] !== 'string') return 'no string "type"';
  if (typeof ev['ts'] !== 'number' || !Number.isFinite(ev['ts'])) return 'no numeric "ts"';
  if (typeof ev['time'] !== 'string') return 'no string "time"';
  return value as HotlineEvent;
}

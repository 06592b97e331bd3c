/**
 * One event line to an event, looked at in place in its chunk's string. A line of this writer's layout
 * (`{"time":"<24 characters>","ts":<digits>,"type":"<type>"` first, as JSON.stringify of a stamped event
 * writes it) is filtered by ts and type before anything is decoded; with a field list, a wanted one is
 * decoded in one pass over its `"key":value` pairs into an object reused for every event of its type, so a
 * line costs no allocation but its kept strings. Anything else (another layout, an escape sequence, a value
 * of an unexpected kind, a torn line) is left to JSON.parse, which decides what is wrong with it.
 */
import type { HotlineEvent } from '../../domain/metrics/events.js';
import type { EventFields, FieldKind } from '../../domain/metrics/report.js';

/** decode(): the line is not wanted (out of range, or a type not asked for). Also from parse(): blank line. */
export const SKIP = 0;
/** decode(): the line must go through parse(). */
export const PARSE = 1;

/** `{"time":"2024-05-01T09:00:00.000Z","ts":` — the fixed-width start of every line JsonlEventLog writes. */
const TIME_PREFIX = '{"time":"';
const TS_KEY_AT = TIME_PREFIX.length + 24;
const TS_DIGITS_AT = TS_KEY_AT + '","ts":'.length;
/** Whole numbers up to 15 digits are exact in a double, and read digit by digit. */
const MAX_FAST_DIGITS = 15;

const QUOTE = 0x22;
const COMMA = 0x2c;
const COLON = 0x3a;
const BRACE_OPEN = 0x7b;
const BRACE_CLOSE = 0x7d;
const BRACKET_OPEN = 0x5b;
const BRACKET_CLOSE = 0x5d;
const MINUS = 0x2d;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;

interface Field {
  key: string;
  kind: FieldKind;
}

interface TypeDecoder {
  type: string;
  /** Undefined: the type is wanted whole (JSON.parse). */
  fields: Field[] | undefined;
  /** The reused event object: ts, type, then every field (undefined when a line lacks it). */
  event: Record<string, unknown> | undefined;
}

export class LineDecoder {
  private readonly fromMs: number;
  private readonly toMs: number;
  /** Wanted types by typeSignature, to recognise a type in place without slicing it; undefined: every type. */
  private readonly bySignature: Map<number, TypeDecoder[]> | undefined;
  private readonly types: ReadonlySet<string> | undefined;
  /** Offset of the next backslash in the chunk at or after the last line looked at (Infinity: none). */
  private nextBackslash = -1;

  constructor(fields: EventFields | undefined, types: ReadonlySet<string> | undefined, fromMs: number | undefined, toMs: number | undefined) {
    this.fromMs = fromMs ?? Number.NEGATIVE_INFINITY;
    this.toMs = toMs ?? Number.POSITIVE_INFINITY;
    this.types = fields ? new Set(Object.keys(fields)) : types;
    if (!this.types) return;
    this.bySignature = new Map();
    for (const type of this.types) {
      const spec = fields?.[type];
      const decoder: TypeDecoder = spec
        ? { type, fields: Object.entries(spec).map(([key, kind]) => ({ key, kind })), event: newEvent(type, Object.keys(spec)) }
        : { type, fields: undefined, event: undefined };
      const sig = typeSignature(type, 0, type.length);
      this.bySignature.set(sig, [...(this.bySignature.get(sig) ?? []), decoder]);
    }
  }

  /** Called before the lines of a new chunk string (decode() takes lines of the current chunk only). */
  startChunk(): void {
    this.nextBackslash = -1;
  }

  /**
   * The line text[s, e) of the current chunk (no newline, not empty): SKIP, PARSE, or the decoded event
   * (with fields: the type's reused object).
   */
  decode(text: string, s: number, e: number): HotlineEvent | typeof SKIP | typeof PARSE {
    // `{"time":"<24 characters>","ts":`, checked a character at a time (cheaper than startsWith at an
    // offset): { " t " : " … " , " t s " :
    if (
      text.charCodeAt(e - 1) !== BRACE_CLOSE ||
      text.charCodeAt(s) !== BRACE_OPEN ||
      text.charCodeAt(s + 1) !== QUOTE ||
      text.charCodeAt(s + 2) !== 0x74 ||
      text.charCodeAt(s + 6) !== QUOTE ||
      text.charCodeAt(s + 7) !== COLON ||
      text.charCodeAt(s + 8) !== QUOTE ||
      text.charCodeAt(s + TS_KEY_AT) !== QUOTE ||
      text.charCodeAt(s + TS_KEY_AT + 1) !== COMMA ||
      text.charCodeAt(s + TS_KEY_AT + 3) !== 0x74 ||
      text.charCodeAt(s + TS_KEY_AT + 4) !== 0x73 ||
      text.charCodeAt(s + TS_KEY_AT + 6) !== COLON
    ) {
      return PARSE;
    }
    const digits = s + TS_DIGITS_AT;
    let p = digits;
    let ts = 0;
    for (let c = text.charCodeAt(p); c >= DIGIT_0 && c <= DIGIT_9 && p - digits < MAX_FAST_DIGITS; c = text.charCodeAt(++p)) ts = ts * 10 + (c - DIGIT_0);
    // `,"type":"`
    if (
      p === digits ||
      text.charCodeAt(p) !== COMMA ||
      text.charCodeAt(p + 1) !== QUOTE ||
      text.charCodeAt(p + 2) !== 0x74 ||
      text.charCodeAt(p + 3) !== 0x79 ||
      text.charCodeAt(p + 6) !== QUOTE ||
      text.charCodeAt(p + 7) !== COLON ||
      text.charCodeAt(p + 8) !== QUOTE
    ) {
      return PARSE;
    }
    if (ts < this.fromMs || ts >= this.toMs) return SKIP;
    if (!this.bySignature) return PARSE;
    const typeStart = p + 9;
    const typeEnd = text.indexOf('"', typeStart);
    if (typeEnd === -1 || typeEnd >= e) return PARSE;
    const candidates = this.bySignature.get(typeSignature(text, typeStart, typeEnd));
    if (candidates === undefined) return SKIP;
    let d: TypeDecoder | undefined;
    for (const c of candidates) {
      if (c.type.length === typeEnd - typeStart && text.startsWith(c.type, typeStart)) {
        d = c;
        break;
      }
    }
    if (d === undefined) return SKIP;
    const { fields, event } = d;
    if (fields === undefined || event === undefined) return PARSE;
    // Without a backslash in the line, no string holds an escaped quote: every '"' found is a real one.
    if (this.backslashFrom(text, s) < e) return PARSE;
    return this.fields(text, typeEnd + 1, e, ts, fields, event);
  }

  /** The event of a line that decode() could not take, or why it is not one; SKIP for a blank or unwanted line. */
  parse(line: string): HotlineEvent | string | typeof SKIP {
    if (line.trim() === '') return SKIP;
    const parsed = parseEvent(line);
    if (typeof parsed === 'string') return parsed;
    if (parsed.ts < this.fromMs || parsed.ts >= this.toMs) return SKIP;
    if (this.types && !this.types.has(parsed.type)) return SKIP;
    return parsed;
  }

  /** Reads the `,"key":value` pairs from p (just after the type's closing quote) to the line's closing brace. */
  private fields(text: string, p: number, e: number, ts: number, fields: Field[], ev: Record<string, unknown>): HotlineEvent | typeof PARSE {
    for (const f of fields) ev[f.key] = undefined;
    ev['ts'] = ts;
    for (;;) {
      const c = text.charCodeAt(p);
      if (c === BRACE_CLOSE) break;
      if (c !== COMMA || text.charCodeAt(p + 1) !== QUOTE) return PARSE;
      const k = p + 2;
      const ke = text.indexOf('"', k);
      if (ke === -1 || ke >= e || text.charCodeAt(ke + 1) !== COLON) return PARSE;
      let field: Field | undefined;
      for (const f of fields) {
        if (f.key.length === ke - k && text.startsWith(f.key, k)) {
          field = f;
          break;
        }
      }
      const v = ke + 2;
      const vc = text.charCodeAt(v);
      if (vc === QUOTE) {
        const ve = text.indexOf('"', v + 1);
        if (ve === -1 || ve >= e) return PARSE;
        if (field) {
          if (field.kind !== 'string') return PARSE;
          ev[field.key] = text.slice(v + 1, ve);
        }
        p = ve + 1;
      } else if ((vc >= DIGIT_0 && vc <= DIGIT_9) || vc === MINUS) {
        // Whole numbers (every time and duration in ms) are read in place; anything else through Number().
        let q = vc === MINUS ? v + 1 : v;
        const digits = q;
        let n = 0;
        for (let d = text.charCodeAt(q); d >= DIGIT_0 && d <= DIGIT_9; d = text.charCodeAt(++q)) n = n * 10 + (d - DIGIT_0);
        const next = text.charCodeAt(q);
        let value: number;
        if (q > digits && q - digits <= MAX_FAST_DIGITS && (next === COMMA || next === BRACE_CLOSE)) value = vc === MINUS ? -n : n;
        else {
          while (q < e && isNumberChar(text.charCodeAt(q))) q++;
          value = Number(text.slice(v, q));
          if (!Number.isFinite(value)) return PARSE;
        }
        if (field) {
          if (field.kind !== 'number') return PARSE;
          ev[field.key] = value;
        }
        p = q;
      } else if (vc === 0x74 && text.startsWith('true', v)) {
        if (field) {
          if (field.kind !== 'boolean') return PARSE;
          ev[field.key] = true;
        }
        p = v + 4;
      } else if (vc === 0x66 && text.startsWith('false', v)) {
        if (field) {
          if (field.kind !== 'boolean') return PARSE;
          ev[field.key] = false;
        }
        p = v + 5;
      } else if (vc === BRACE_OPEN || vc === BRACKET_OPEN) {
        const end = nestedEnd(text, v, e);
        if (end === -1) return PARSE;
        if (field) {
          if (field.kind !== 'complex') return PARSE;
          ev[field.key] = JSON.parse(text.slice(v, end)) as unknown;
        }
        p = end;
      } else {
        // null (JSON.parse keeps it as null), whitespace, or not JSON.
        return PARSE;
      }
    }
    return p === e - 1 ? (ev as unknown as HotlineEvent) : PARSE;
  }

  /** Offset of the first backslash at or after `from` in the chunk (Infinity: none); one scan per chunk. */
  private backslashFrom(text: string, from: number): number {
    if (this.nextBackslash < from) {
      const at = text.indexOf('\\', from);
      this.nextBackslash = at === -1 ? Number.POSITIVE_INFINITY : at;
    }
    return this.nextBackslash;
  }
}

/** The reused event object of a type: its keys fixed once (one hidden class per type). */
function newEvent(type: string, keys: string[]): Record<string, unknown> {
  const ev: Record<string, unknown> = { ts: 0, type };
  for (const key of keys) ev[key] = undefined;
  return ev;
}

/** A number telling event types apart in place: their length, middle and last characters. */
function typeSignature(text: string, start: number, end: number): number {
  const len = end - start;
  return len * 0x10000 + text.charCodeAt(end - 1) * 0x100 + text.charCodeAt(start + (len >> 1));
}

/** Characters of a JSON number after its first: digits, '.', 'e', 'E', '+', '-'. */
function isNumberChar(c: number): boolean {
  return (c >= DIGIT_0 && c <= DIGIT_9) || c === 0x2e || c === 0x65 || c === 0x45 || c === 0x2b || c === MINUS;
}

/**
 * The offset just after the array or object starting at `start`, or -1 when it does not close before `end`.
 * Only for lines without a backslash: a quote always opens or closes a string.
 */
function nestedEnd(text: string, start: number, end: number): number {
  let depth = 0;
  for (let p = start; p < end; p++) {
    const c = text.charCodeAt(p);
    if (c === QUOTE) {
      const close = text.indexOf('"', p + 1);
      if (close === -1 || close >= end) return -1;
      p = close;
    } else if (c === BRACE_OPEN || c === BRACKET_OPEN) depth++;
    else if (c === BRACE_CLOSE || c === BRACKET_CLOSE) {
      depth--;
      if (depth === 0) return p + 1;
    }
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

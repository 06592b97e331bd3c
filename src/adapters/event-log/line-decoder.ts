/**
 * Event lines to events, read in place in their chunk's bytes: no string of the chunk is made (that copy
 * of every byte cost more than any one step of decoding); a kept string value comes from the string cache.
 * A line of this writer's layout (`{"time":"<24 characters>","ts":<digits>,"type":"<type>"` first, as
 * JSON.stringify of a stamped event writes it) is filtered by ts and type before anything is decoded; with a
 * field list, a wanted one is decoded in one pass over its `"key":value` pairs into the event view (below),
 * so a line costs no allocation but its kept strings. Anything else (another layout, an escape sequence, a
 * value of an unexpected kind, a torn line) is left to JSON.parse, which decides what is wrong with it.
 *
 * The event view is one object for every decoded event: `ts` and `type`, and a getter per field name that
 * reads the field's slot, so every reader of it (the report fold) sees a single hidden class, and decoding
 * writes array slots rather than named properties.
 */
import type { HotlineEvent } from '../../domain/metrics/events.js';
import type { EventFields, FieldKind } from '../../domain/metrics/report.js';
import { bytesAt, toByteWords, wordPairSignature, type ByteWords } from './byte-words.js';
import { StringCache, stringHashStep } from './string-cache.js';
import { ValueTable } from './value-table.js';

/** decode(): the line is not wanted (out of range, or a type not asked for), if it is whole. */
export const SKIP = 0;
/** decode(): the line must go through parse(). */
export const PARSE = 1;

/**
 * `{"time":"2024-05-01T09:00:00.000Z","ts":` — the fixed-width start of every line JsonlEventLog writes,
 * checked four bytes at a time (a byte read costs V8 about as much as a four-byte one): `{"ti` `me":` `"`,
 * then `Z","` `ts":` after the time's digits.
 */
const PREFIX = Buffer.from('{"time":"2024-05-01T09:00:00.000Z","ts":', 'latin1');
const PREFIX_WORD_0 = PREFIX.readUInt32LE(0);
const PREFIX_WORD_4 = PREFIX.readUInt32LE(4);
const PREFIX_WORD_32 = PREFIX.readUInt32LE(32);
const PREFIX_WORD_36 = PREFIX.readUInt32LE(36);
const TYPE_KEY = Buffer.from(',"type":"', 'latin1');
const TYPE_KEY_WORD_0 = TYPE_KEY.readUInt32LE(0);
const TYPE_KEY_WORD_1 = TYPE_KEY.readUInt32LE(4);
/** Whole numbers up to 15 digits are exact in a double, and read digit by digit. */
const MAX_FAST_DIGITS = 15;
/** Size of the table of wanted types by signature (a power of two). */
const TYPE_TABLE = 256;
/** Unwanted types remembered by their bytes (so their lines are skipped without a scan), at most. */
const MAX_LEARNED_TYPES = 64;

const NEWLINE = 0x0a;
/** Bytes below it (control characters, the line end among them) may not stand raw in a JSON string. */
const SPACE = 0x20;
const CR = 0x0d;
const QUOTE = 0x22;
const COMMA = 0x2c;
const COLON = 0x3a;
const BACKSLASH = 0x5c;
const BRACE_OPEN = 0x7b;
const BRACE_CLOSE = 0x7d;
const BRACKET_OPEN = 0x5b;
const BRACKET_CLOSE = 0x5d;
const MINUS = 0x2d;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;

interface Field {
  key: string;
  keyBytes: Buffer;
  kind: FieldKind;
  /** Its slot in the event view. */
  slot: number;
}

interface TypeDecoder {
  type: string;
  typeBytes: Buffer;
  /** Undefined: the type is wanted whole (JSON.parse). */
  fields: Field[] | undefined;
  /**
   * The `,"key":` of each position in the last line of this type: the writer lays out every line of a type
   * alike, so the next line's keys are compared whole with these before any byte-by-byte scan.
   */
  keys: KeyAt[];
}

interface KeyAt {
  bytes: ByteWords;
  /** The wanted field of that key (undefined: a key no reader wants). */
  field: Field | undefined;
  /** String values seen after this key name, in lines of any type (a call's id is on most of its events). */
  values: ValueTable;
}

/** A type by its bytes and closing quote; `decoder` undefined: a type seen and not wanted (SKIP). */
interface TypeWords {
  bytes: ByteWords;
  decoder: TypeDecoder | undefined;
}

export class LineDecoder {
  /** After decode() gave an event: where the next line starts. */
  next = 0;
  /**
   * The ts of the line being decoded, handed to fields() as a field: a ts is not a small integer, so as an
   * argument of a call that is not inlined it would be a new heap number per line.
   */
  private ts = 0;
  private readonly fromMs: number;
  private readonly toMs: number;
  private readonly types: ReadonlySet<string> | undefined;
  /** Wanted types by typeSignature (undefined: every type). */
  private readonly table: Array<TypeDecoder[] | undefined> | undefined;
  /** The event view, and the slots its getters read. */
  readonly view: Record<string, unknown>;
  private readonly slots: unknown[];
  private current: TypeDecoder | undefined;
  /** The type whose fields' slots the last line wrote (all others are undefined). */
  private dirty: TypeDecoder | undefined;
  /** Types by the signature of their first eight bytes (with the closing quote), for types of 7 bytes or more. */
  private readonly typeWords: Array<TypeWords[] | undefined> = Array.from({ length: TYPE_TABLE }, () => undefined);
  private learnedTypes = 0;
  private readonly strings = new StringCache();
  /** ValueTables by key name, apart for wanted fields (strings kept) and other keys (values only matched). */
  private readonly valueTables = new Map<string, ValueTable>();
  private wordsBytes: Buffer | undefined;
  private words: DataView = new DataView(new ArrayBuffer(0));

  constructor(fields: EventFields | undefined, types: ReadonlySet<string> | undefined, fromMs: number | undefined, toMs: number | undefined) {
    this.fromMs = fromMs ?? Number.NEGATIVE_INFINITY;
    this.toMs = toMs ?? Number.POSITIVE_INFINITY;
    this.types = fields ? new Set(Object.keys(fields)) : types;
    const slotOf = new Map<string, number>();
    for (const spec of Object.values(fields ?? {})) for (const key of Object.keys(spec)) if (!slotOf.has(key) && key !== 'ts' && key !== 'type') slotOf.set(key, slotOf.size);
    this.slots = Array.from({ length: slotOf.size }, () => undefined);
    this.view = newView(slotOf, this.slots);
    if (!this.types) return;
    this.table = Array.from({ length: TYPE_TABLE }, () => undefined);
    for (const type of this.types) {
      const spec = fields?.[type];
      const typeBytes = Buffer.from(type, 'utf8');
      const decoder: TypeDecoder = {
        type,
        typeBytes,
        fields: spec
          ? Object.entries(spec)
              .filter(([key]) => slotOf.has(key))
              .map(([key, kind]) => ({ key, keyBytes: Buffer.from(key, 'utf8'), kind, slot: slotOf.get(key) ?? 0 }))
          : undefined,
        keys: [],
      };
      const sig = typeSignature(typeBytes, 0, typeBytes.length);
      this.table[sig] = [...(this.table[sig] ?? []), decoder];
      this.rememberType(typeBytes, decoder);
    }
  }

  /** Adds a type (of at least 7 bytes) to the table compared word by word. */
  private rememberType(typeBytes: Uint8Array, decoder: TypeDecoder | undefined): void {
    if (typeBytes.length < 7) return;
    const withQuote = new Uint8Array(typeBytes.length + 1);
    withQuote.set(typeBytes);
    withQuote[typeBytes.length] = QUOTE;
    const bytes = toByteWords(withQuote);
    const sig = wordPairSignature(bytes.words[0] ?? 0, bytes.words[1] ?? 0);
    this.typeWords[sig] = [...(this.typeWords[sig] ?? []), { bytes, decoder }];
  }

  /**
   * The line starting at `s` in the chunk (`bytes`, ending in LF; `n` their length): an event (the view: valid until the next decode) with `next` set past the line, SKIP
   * when the line is unwanted if whole, or PARSE. Every scan stops at the LF, so no read passes the chunk
   * (an out-of-bounds read would make V8 compile every byte read here the slow way).
   */
  decode(bytes: Buffer, s: number, n: number): HotlineEvent | typeof SKIP | typeof PARSE {
    const prefixEnd = s + PREFIX.length;
    if (prefixEnd >= n) return PARSE;
    const words = this.wordsOf(bytes);
    if (
      words.getUint32(s, true) !== PREFIX_WORD_0 ||
      words.getUint32(s + 4, true) !== PREFIX_WORD_4 ||
      bytes[s + 8] !== QUOTE ||
      words.getUint32(s + 32, true) !== PREFIX_WORD_32 ||
      words.getUint32(s + 36, true) !== PREFIX_WORD_36
    ) {
      return PARSE;
    }
    let p = prefixEnd;
    let ts = 0;
    // Four digits at a time while the word holds four (a ts has 13), then digit by digit, up to 15 in all.
    while (p + 4 - prefixEnd <= MAX_FAST_DIGITS && p + 4 <= n) {
      const w = words.getInt32(p, true);
      if (!isFourDigits(w)) break;
      const d = w - DIGITS_0;
      ts = ts * 10_000 + (d & 0xff) * 1000 + ((d >> 8) & 0xff) * 100 + ((d >> 16) & 0xff) * 10 + (d >>> 24);
      p += 4;
    }
    for (let c = bytes[p] ?? 0; c >= DIGIT_0 && c <= DIGIT_9 && p - prefixEnd < MAX_FAST_DIGITS; c = bytes[++p] ?? 0) ts = ts * 10 + (c - DIGIT_0);
    if (p === prefixEnd || p + TYPE_KEY.length >= n) return PARSE;
    if (words.getUint32(p, true) !== TYPE_KEY_WORD_0 || words.getUint32(p + 4, true) !== TYPE_KEY_WORD_1 || bytes[p + 8] !== QUOTE) return PARSE;
    if (ts < this.fromMs || ts >= this.toMs) return SKIP;
    if (!this.table) return PARSE;
    const typeStart = p + TYPE_KEY.length;
    // A known type, its closing quote included, compared whole.
    if (typeStart + 8 <= n) {
      const candidates = this.typeWords[wordPairSignature(words.getInt32(typeStart, true), words.getInt32(typeStart + 4, true))];
      if (candidates !== undefined) {
        for (const c of candidates) {
          if (!bytesAt(words, typeStart, n, c.bytes)) continue;
          const d = c.decoder;
          if (d === undefined) return SKIP;
          if (d.fields === undefined) return PARSE;
          this.ts = ts;
          return this.fields(bytes, typeStart + c.bytes.byteLength, n, d, d.fields);
        }
      }
    }
    let typeEnd = typeStart;
    for (let c = bytes[typeEnd]; c !== QUOTE; c = bytes[++typeEnd]) if (c === undefined || c < SPACE || c === BACKSLASH) return PARSE;
    const d = this.typeAt(bytes, typeStart, typeEnd);
    if (d === undefined) {
      if (this.learnedTypes < MAX_LEARNED_TYPES) {
        this.learnedTypes++;
        this.rememberType(bytes.subarray(typeStart, typeEnd), undefined);
      }
      return SKIP;
    }
    if (d.fields === undefined) return PARSE;
    this.ts = ts;
    return this.fields(bytes, typeEnd + 1, n, d, d.fields);
  }

  private valueTable(key: string, wanted: boolean): ValueTable {
    const name = `${wanted ? 'wanted' : 'other'} ${key}`;
    let table = this.valueTables.get(name);
    if (table === undefined) {
      table = new ValueTable();
      this.valueTables.set(name, table);
    }
    return table;
  }

  /** A DataView of the chunk, made once per chunk. */
  private wordsOf(bytes: Buffer): DataView {
    if (this.wordsBytes !== bytes) {
      this.wordsBytes = bytes;
      this.words = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
    }
    return this.words;
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

  /** The event decode() gave last, as a plain object of its own (ts, type and the fields the line had). */
  copy(): HotlineEvent {
    const out: Record<string, unknown> = { ts: this.view['ts'], type: this.view['type'] };
    for (const f of this.current?.fields ?? []) {
      const v = this.slots[f.slot];
      if (v !== undefined) out[f.key] = v;
    }
    return out as unknown as HotlineEvent;
  }

  private typeAt(bytes: Buffer, start: number, end: number): TypeDecoder | undefined {
    const candidates = this.table?.[typeSignature(bytes, start, end)];
    if (candidates === undefined) return undefined;
    for (const c of candidates) if (sameBytes(bytes, start, end, c.typeBytes)) return c;
    return undefined;
  }

  /** Reads the `,"key":value` pairs from p (just after the type's closing quote) to the line's end. */
  private fields(bytes: Buffer, p: number, n: number, d: TypeDecoder, fields: Field[]): HotlineEvent | typeof PARSE {
    const slots = this.slots;
    // The slots the last line wrote, whatever its type: a field of another type reads undefined, never a stale value.
    for (const f of this.dirty?.fields ?? []) slots[f.slot] = undefined;
    this.dirty = d;
    const words = this.words;
    const keys = d.keys;
    for (let i = 0; ; i++) {
      const c = bytes[p];
      if (c === BRACE_CLOSE) break;
      let field: Field | undefined;
      let v: number;
      let at = keys[i];
      if (at !== undefined && bytesAt(words, p, n, at.bytes)) {
        field = at.field;
        v = p + at.bytes.byteLength;
      } else {
        if (c !== COMMA || bytes[p + 1] !== QUOTE) return PARSE;
        const k = p + 2;
        let ke = k;
        for (let b = bytes[ke]; b !== QUOTE; b = bytes[++ke]) if (b === undefined || b < SPACE || b === BACKSLASH) return PARSE;
        if (bytes[ke + 1] !== COLON) return PARSE;
        field = undefined;
        for (const f of fields) {
          if (sameBytes(bytes, k, ke, f.keyBytes)) {
            field = f;
            break;
          }
        }
        v = ke + 2;
        at = { bytes: toByteWords(bytes.subarray(p, v)), field, values: this.valueTable(bytes.toString('latin1', k, ke), field !== undefined) };
        keys[i] = at;
      }
      const vc = bytes[v];
      if (vc === QUOTE) {
        if (field && field.kind !== 'string') return PARSE;
        const values = at.values;
        const seen = values.find(words, v + 1, n);
        if (seen !== undefined) {
          if (field) slots[field.slot] = seen;
          p = values.end;
          continue;
        }
        let ve = v + 1;
        if (field) {
          let high = 0;
          let hash = 0;
          for (let b = bytes[ve]; b !== QUOTE; b = bytes[++ve]) {
            if (b === undefined || b < SPACE || b === BACKSLASH) return PARSE;
            high |= b;
            hash = stringHashStep(hash, b);
          }
          // The string's characters are its bytes unless one is outside ASCII: then it is UTF-8.
          const value = high < 0x80 ? this.strings.get(bytes, v + 1, ve, hash) : bytes.toString('utf8', v + 1, ve);
          slots[field.slot] = value;
          values.remember(words, v + 1, ve, n, value);
        } else {
          for (let b = bytes[ve]; b !== QUOTE; b = bytes[++ve]) if (b === undefined || b < SPACE || b === BACKSLASH) return PARSE;
          values.remember(words, v + 1, ve, n, '');
        }
        p = ve + 1;
      } else if ((vc !== undefined && vc >= DIGIT_0 && vc <= DIGIT_9) || vc === MINUS) {
        // Whole numbers (every time and duration in ms) are read in place; anything else through Number().
        const digits = vc === MINUS ? v + 1 : v;
        let q = digits;
        let num = 0;
        for (let b = bytes[q] ?? 0; b >= DIGIT_0 && b <= DIGIT_9; b = bytes[++q] ?? 0) num = num * 10 + (b - DIGIT_0);
        const after = bytes[q];
        let value: number;
        if (q > digits && q - digits <= MAX_FAST_DIGITS && (after === COMMA || after === BRACE_CLOSE) && (bytes[digits] !== DIGIT_0 || q - digits === 1)) value = vc === MINUS ? -num : num;
        else {
          // JSON's grammar first: Number() would take "012", "1." or "-.5", which JSON.parse refuses.
          q = jsonNumberEnd(bytes, v, n);
          if (q === -1) return PARSE;
          value = Number(bytes.toString('latin1', v, q));
          if (!Number.isFinite(value)) return PARSE;
        }
        if (field) {
          if (field.kind !== 'number') return PARSE;
          slots[field.slot] = value;
        }
        p = q;
      } else if (v + 5 >= n) {
        return PARSE;
      } else if (vc === 0x74 && bytes[v + 1] === 0x72 && bytes[v + 2] === 0x75 && bytes[v + 3] === 0x65) {
        if (field) {
          if (field.kind !== 'boolean') return PARSE;
          slots[field.slot] = true;
        }
        p = v + 4;
      } else if (vc === 0x66 && bytes[v + 1] === 0x61 && bytes[v + 2] === 0x6c && bytes[v + 3] === 0x73 && bytes[v + 4] === 0x65) {
        if (field) {
          if (field.kind !== 'boolean') return PARSE;
          slots[field.slot] = false;
        }
        p = v + 5;
      } else if (vc === BRACE_OPEN || vc === BRACKET_OPEN) {
        const end = nestedEnd(bytes, v, n);
        if (end === -1) return PARSE;
        if (field) {
          if (field.kind !== 'complex') return PARSE;
          slots[field.slot] = JSON.parse(bytes.toString('utf8', v, end)) as unknown;
        }
        p = end;
      } else {
        // null (JSON.parse keeps it as null), whitespace, or not JSON.
        return PARSE;
      }
    }
    // The closing brace ends the line: LF, CR LF, or the end of the file's last line.
    let next = p + 1;
    if (bytes[next] === CR) next++;
    if (next < n) {
      if (bytes[next] !== NEWLINE) return PARSE;
      next++;
    } else if (next > n) return PARSE;
    this.next = next;
    this.current = d;
    const view = this.view;
    view['ts'] = this.ts;
    view['type'] = d.type;
    return view as unknown as HotlineEvent;
  }
}

/** One object for every decoded event: ts and type, then a getter per field reading its slot. */
function newView(slotOf: ReadonlyMap<string, number>, slots: unknown[]): Record<string, unknown> {
  const view: Record<string, unknown> = { ts: 0, type: '' };
  for (const [key, slot] of slotOf) Object.defineProperty(view, key, { get: () => slots[slot], enumerable: true });
  return view;
}

/** A small number telling event types apart in place: from their length, middle and last bytes. */
function typeSignature(bytes: Uint8Array, start: number, end: number): number {
  const len = end - start;
  return (len * 31 + (bytes[end - 1] ?? 0) * 7 + (bytes[start + (len >> 1)] ?? 0)) & (TYPE_TABLE - 1);
}

function sameBytes(bytes: Uint8Array, start: number, end: number, want: Uint8Array): boolean {
  if (end - start !== want.length) return false;
  for (let i = 0; i < want.length; i++) if (bytes[start + i] !== want[i]) return false;
  return true;
}

/** Four '0' bytes as a little-endian word. */
const DIGITS_0 = 0x30303030;

/** Whether the four bytes of a word are all ASCII digits: each is 0x3X, and stays so plus 6 (X ≤ 9). */
function isFourDigits(w: number): boolean {
  return (w & 0xf0f0f0f0) === DIGITS_0 && ((w + 0x06060606) & 0xf0f0f0f0) === DIGITS_0;
}

/** Whether the byte at p, before n, is an ASCII digit. */
function isDigitAt(bytes: Uint8Array, p: number, n: number): boolean {
  const c = p < n ? (bytes[p] ?? 0) : 0;
  return c >= DIGIT_0 && c <= DIGIT_9;
}

/**
 * The offset just past the JSON number starting at p (RFC 8259 §6: no leading zero, no bare '.', an
 * exponent with digits), or -1. Nothing at or past n is read.
 */
function jsonNumberEnd(bytes: Uint8Array, p: number, n: number): number {
  if (p < n && bytes[p] === MINUS) p++;
  if (p < n && bytes[p] === DIGIT_0) p++;
  else if (isDigitAt(bytes, p, n)) while (isDigitAt(bytes, p, n)) p++;
  else return -1;
  if (p < n && bytes[p] === 0x2e) {
    if (!isDigitAt(bytes, ++p, n)) return -1;
    while (isDigitAt(bytes, p, n)) p++;
  }
  if (p < n && (bytes[p] === 0x65 || bytes[p] === 0x45)) {
    p++;
    if (p < n && (bytes[p] === 0x2b || bytes[p] === MINUS)) p++;
    if (!isDigitAt(bytes, p, n)) return -1;
    while (isDigitAt(bytes, p, n)) p++;
  }
  return p;
}

/**
 * The offset just after the array or object starting at `start`, or -1 when it does not close before the
 * line's end. Strings inside are skipped; an escape sends the line to JSON.parse.
 */
function nestedEnd(bytes: Uint8Array, start: number, n: number): number {
  let depth = 0;
  for (let p = start; p < n; p++) {
    const c = bytes[p];
    if (c === NEWLINE || c === BACKSLASH) return -1;
    if (c === QUOTE) {
      for (p++; p < n && bytes[p] !== QUOTE; p++) if ((bytes[p] ?? 0) < SPACE || bytes[p] === BACKSLASH) return -1;
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

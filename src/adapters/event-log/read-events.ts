/**
 * Streams events back from the day files, oldest day first. Memory stays constant whatever the size of the
 * log: files are read in chunks (1 MiB) and only the lines of the current chunk are held.
 *
 * Speed (a month of logs is tens of millions of lines): lines are looked at in place in their chunk's
 * bytes (line-reader.ts), and there is one await per chunk rather than per event: events come out in
 * arrays (`readEventBatches`), or are handed one by one to a function (`visitEvents`, which allocates
 * nothing per event with `fields`). A line this writer produced (`{"time":"…","ts":N,"type":"…"` first, as
 * JSON.stringify of a stamped event writes it) whose ts is out of range or whose type is not wanted is
 * skipped without a string or JSON.parse; with `fields`, a wanted one is decoded in one pass over its keys
 * (line-decoder.ts). Any other line (another layout, an escape, a torn line) goes through JSON.parse.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { HotlineEvent } from '../../domain/metrics/events.js';
import type { EventFields } from '../../domain/metrics/report.js';
import { DAY_MS, dayOfFileName, dayStartMs } from './day-files.js';
import { LineDecoder, SKIP } from './line-decoder.js';
import { readLineChunks, type LineChunk } from './line-reader.js';

const NEWLINE = 0x0a;
const CR = 0x0d;
const BRACE_CLOSE = 0x7d;

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
  let out: HotlineEvent[] = [];
  // Projections are decoded into one reused object per type: a batch keeps copies.
  const decoder = newDecoder(opts);
  const keep = opts.fields ? (ev: HotlineEvent): void => void out.push((ev as unknown) === decoder.view ? decoder.copy() : ev) : (ev: HotlineEvent): void => void out.push(ev);
  for await (const _chunk of eventChunks(dir, opts, decoder, keep)) {
    if (out.length === 0) continue;
    yield out;
    out = [];
  }
}

/**
 * Hands every event of the log to `visit`, in order; resolves once the last file is read. With `fields`,
 * the event object is reused for the next event: `visit` may read it, not keep it.
 */
export async function visitEvents(dir: string, opts: ReadEventsOptions, visit: (ev: HotlineEvent) => void): Promise<void> {
  for await (const _chunk of eventChunks(dir, opts, newDecoder(opts), visit)) {
    // visit() has seen the chunk's events.
  }
}

function newDecoder(opts: ReadEventsOptions): LineDecoder {
  return new LineDecoder(opts.fields, opts.types, opts.fromMs, opts.toMs);
}

/** Reads the files chunk by chunk, giving each chunk's events to `emit`; yields once per chunk (backpressure). */
async function* eventChunks(dir: string, opts: ReadEventsOptions, decoder: LineDecoder, emit: (ev: HotlineEvent) => void): AsyncGenerator<void> {
  const maxLineBytes = opts.maxLineBytes ?? 1024 * 1024;
  const chunkBytes = opts.chunkBytes ?? 1024 * 1024;
  let bytesBefore = 0;
  for (const name of await listDayFiles(dir, opts.fromMs, opts.toMs)) {
    const path = join(dir, name);
    const file = new FileLines(path, decoder, maxLineBytes, opts.onWarning);
    let fileBytes = 0;
    for await (const chunk of readLineChunks(path, maxLineBytes, chunkBytes, (n) => (fileBytes = n))) {
      file.take(chunk, emit);
      opts.onProgress?.(bytesBefore + fileBytes);
      yield;
    }
    bytesBefore += fileBytes;
  }
}

/** Turns the lines of one file into events, keeping count of line numbers for warnings. */
class FileLines {
  private lineNo = 0;

  constructor(
    private readonly path: string,
    private readonly decoder: LineDecoder,
    private readonly maxLineBytes: number,
    private readonly onWarning: ((message: string) => void) | undefined,
  ) {}

  take(chunk: LineChunk, emit: (ev: HotlineEvent) => void): void {
    if (chunk.oversized) {
      this.warn(++this.lineNo, `line longer than ${this.maxLineBytes} bytes`);
      return;
    }
    const { bytes } = chunk;
    const { decoder, maxLineBytes } = this;
    const n = bytes.length;
    let lineNo = this.lineNo;
    for (let s = 0; s < n; ) {
      lineNo++;
      const fast = decoder.decode(bytes, s, n);
      if (typeof fast === 'object') {
        const start = s;
        s = decoder.next;
        if (s - start > maxLineBytes) this.warn(lineNo, `line longer than ${maxLineBytes} bytes`);
        else emit(fast);
        continue;
      }
      // No string of the chunk is made (a copy of every byte): the line's end is found in the bytes.
      let nl = bytes.indexOf(NEWLINE, s);
      if (nl === -1) nl = n;
      // CRLF: the CR is not part of the line.
      const e = nl > s && bytes[nl - 1] === CR ? nl - 1 : nl;
      const start = s;
      s = nl + 1;
      if (e === start) continue;
      if (e - start > maxLineBytes) {
        this.warn(lineNo, `line longer than ${maxLineBytes} bytes`);
        continue;
      }
      // An unwanted line is skipped only when whole: a torn one is reported whatever its type.
      if (fast === SKIP && bytes[e - 1] === BRACE_CLOSE) continue;
      const parsed = decoder.parse(bytes.toString('utf8', start, e));
      if (parsed === SKIP) continue;
      if (typeof parsed === 'string') this.warn(lineNo, parsed);
      else emit(parsed);
    }
    this.lineNo = lineNo;
  }

  private warn(lineNo: number, why: string): void {
    this.onWarning?.(`${this.path}:${lineNo}: ${why}; line skipped`);
  }
}

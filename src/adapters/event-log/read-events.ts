/**
 * Streams events back from the day files, oldest day first, line by line. Memory stays constant whatever
 * the size of the log: files are read in 64 KiB chunks and only the current line is held.
 */
import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { HotlineEvent } from '../../domain/metrics/events.js';
import { DAY_MS, dayOfFileName, dayStartMs } from './day-files.js';

export interface ReadEventsOptions {
  /** Only events with ts ≥ fromMs (ms since epoch). */
  fromMs?: number;
  /** Only events with ts < toMs (exclusive). */
  toMs?: number;
  /** Told about every skipped line, as `file:line: reason`. */
  onWarning?: (message: string) => void;
  /** Lines longer than this are skipped as corrupt (default 1 MiB); bounds memory on a damaged file. */
  maxLineBytes?: number;
}

const NEWLINE = 0x0a;

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

export async function* readEvents(dir: string, opts: ReadEventsOptions = {}): AsyncIterable<HotlineEvent> {
  const { fromMs, toMs, onWarning } = opts;
  const maxLineBytes = opts.maxLineBytes ?? 1024 * 1024;
  for (const name of await listDayFiles(dir, fromMs, toMs)) {
    const path = join(dir, name);
    for await (const lines of readLines(path, maxLineBytes)) {
      for (const { lineNo, text } of lines) {
        if (text === null) {
          onWarning?.(`${path}:${lineNo}: line longer than ${maxLineBytes} bytes; line skipped`);
          continue;
        }
        if (text.trim() === '') continue;
        const parsed = parseEvent(text);
        if (typeof parsed === 'string') {
          onWarning?.(`${path}:${lineNo}: ${parsed}; line skipped`);
          continue;
        }
        if (fromMs !== undefined && parsed.ts < fromMs) continue;
        if (toMs !== undefined && parsed.ts >= toMs) continue;
        yield parsed;
      }
    }
  }
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

interface Line {
  lineNo: number;
  /** null: longer than maxLineBytes, dropped while reading. */
  text: string | null;
}

/**
 * Splits a file into lines on LF bytes, yielding the lines completed by each chunk together (one await per
 * 64 KiB chunk rather than per line) (UTF-8 never uses 0x0A inside a multi-byte character, so splitting
 * bytes before decoding is safe). A last line without LF is still returned: the reader decides if it is
 * whole. The stream's async iterator pulls one chunk at a time, so backpressure holds.
 */
async function* readLines(path: string, maxLineBytes: number): AsyncGenerator<Line[]> {
  const stream = createReadStream(path, { highWaterMark: 64 * 1024 });
  let parts: Buffer[] = [];
  let partBytes = 0;
  let oversized = false;
  let lineNo = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const lines: Line[] = [];
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(NEWLINE, start);
      const end = nl === -1 ? chunk.length : nl;
      if (!oversized && end > start) {
        parts.push(chunk.subarray(start, end));
        partBytes += end - start;
        if (partBytes > maxLineBytes) {
          oversized = true;
          parts = [];
          partBytes = 0;
        }
      }
      if (nl === -1) break;
      lineNo++;
      lines.push({ lineNo, text: oversized ? null : Buffer.concat(parts, partBytes).toString('utf8') });
      parts = [];
      partBytes = 0;
      oversized = false;
      start = nl + 1;
    }
    if (lines.length > 0) yield lines;
  }
  if (oversized || partBytes > 0) {
    lineNo++;
    yield [{ lineNo, text: oversized ? null : Buffer.concat(parts, partBytes).toString('utf8') }];
  }
}

/**
 * `hotline export queue-log` and `hotline import queue-log <file>`: the event log as Asterisk's queue_log and
 * back, so queue_log report tools read hotline's history and a centre moving from Asterisk keeps its own.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { dayFileName, utcDayOf } from '../adapters/event-log/day-files.js';
import { JsonlEventLog } from '../adapters/event-log/jsonl-event-log.js';
import { linesOf, readLineGroups } from '../adapters/event-log/line-reader.js';
import { dayFilesBytes, readEventBatches } from '../adapters/event-log/read-events.js';
import { QUEUE_LOG_EVENT_TYPES, QueueLogExporter } from '../adapters/queue-log/queue-log-export.js';
import { QueueLogImporter } from '../adapters/queue-log/queue-log-import.js';
import { formatQueueLogLine, parseQueueLogLine } from '../adapters/queue-log/queue-log-line.js';
import { NO_PROGRESS, type Progress, type ProgressOptions } from './progress.js';

/** Exit codes: 0 done, 1 cannot read or write, 2 bad options (or, for import, days that already have events). */
export const QUEUE_LOG_EXIT = { ok: 0, failed: 1, badOptions: 2 } as const;

const MAX_LINE_WARNINGS = 20;
/** Export reads this far before --from, so lines of calls under way at --from know their queue position. */
const EXPORT_LOOKBACK_MS = 2 * 3600_000;

export interface ExportQueueLogOptions {
  eventsDir: string;
  fromMs?: number;
  toMs?: number;
  /** Receives output text in pieces; may return a promise to apply backpressure (stdout drain). */
  write: (text: string) => void | Promise<void>;
  warn: (s: string) => void;
  progress?: (opts: ProgressOptions) => Progress;
}

export async function runExportQueueLog(opts: ExportQueueLogOptions): Promise<number> {
  const { fromMs, toMs, warn } = opts;
  if (fromMs !== undefined && toMs !== undefined && fromMs >= toMs) {
    warn('hotline export queue-log: --from must be before --to');
    return QUEUE_LOG_EXIT.badOptions;
  }
  const exporter = new QueueLogExporter();
  const from = fromMs ?? Number.NEGATIVE_INFINITY;
  const readFromMs = fromMs === undefined ? undefined : fromMs - EXPORT_LOOKBACK_MS;
  const warnings = lineWarnings('hotline export queue-log', warn);
  let progress: Progress = NO_PROGRESS;
  let pending = '';
  try {
    if (opts.progress) progress = opts.progress({ label: 'exporting', total: await dayFilesBytes(opts.eventsDir, readFromMs, toMs) });
    const batches = readEventBatches(opts.eventsDir, { fromMs: readFromMs, toMs, types: QUEUE_LOG_EVENT_TYPES, onWarning: warnings.add, onProgress: (n) => progress.update(n) });
    for await (const batch of batches) {
      for (const ev of batch) {
        // Events before --from only tell the exporter about calls under way (their queue position …).
        const lines = exporter.push(ev);
        if (ev.ts >= from) for (const line of lines) pending += `${formatQueueLogLine(line)}\n`;
      }
      if (pending.length >= 64 * 1024) {
        await opts.write(pending);
        pending = '';
      }
    }
    if (pending !== '') await opts.write(pending);
  } catch (err) {
    progress.stop();
    warn(`hotline export queue-log: ${(err as Error).message}`);
    return QUEUE_LOG_EXIT.failed;
  }
  progress.stop();
  warnings.summary();
  return QUEUE_LOG_EXIT.ok;
}

export interface ImportQueueLogOptions {
  file: string;
  eventsDir: string;
  /** Write into days that already have events (the same file twice duplicates its calls). */
  force: boolean;
  json: boolean;
  out: (s: string) => void;
  warn: (s: string) => void;
  progress?: (opts: ProgressOptions) => Progress;
}

export interface ImportSummary {
  file: string;
  records: number;
  events: number;
  /** Records kept verbatim as queue-log.record events (no business meaning in hotline's model). */
  keptVerbatim: number;
  skippedLines: number;
  /** UTC days written, as their day files. */
  days: string[];
}

export async function runImportQueueLog(opts: ImportQueueLogOptions): Promise<number> {
  const { file, warn } = opts;
  const name = 'hotline import queue-log';
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch (err) {
    warn(`${name}: cannot read ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
    return QUEUE_LOG_EXIT.failed;
  }
  // First pass: which days the file covers; refuse to write into a day that already has events.
  let days: string[];
  try {
    days = await daysOf(file);
  } catch (err) {
    warn(`${name}: cannot read ${file}: ${(err as Error).message}`);
    return QUEUE_LOG_EXIT.failed;
  }
  if (!opts.force) {
    const taken: string[] = [];
    for (const day of days) {
      const size = await stat(path.join(opts.eventsDir, dayFileName(day))).then((s) => s.size, () => 0);
      if (size > 0) taken.push(dayFileName(day));
    }
    if (taken.length > 0) {
      warn(`${name}: ${path.resolve(opts.eventsDir)} already has events on ${taken.length} of the file's days (${taken.slice(0, 5).join(', ')}${taken.length > 5 ? ' …' : ''}); importing twice would count calls twice. Nothing written; use --force to add the records anyway.`);
      return QUEUE_LOG_EXIT.badOptions;
    }
  }

  const log = new JsonlEventLog({ dir: opts.eventsDir });
  const importer = new QueueLogImporter();
  const summary: ImportSummary = { file: path.resolve(file), records: 0, events: 0, keptVerbatim: 0, skippedLines: 0, days };
  const warnings = lineWarnings(name, warn);
  const progress = opts.progress ? opts.progress({ label: 'importing', total: size }) : NO_PROGRESS;
  let sinceFlush = 0;
  try {
    for await (const group of readLineGroups(file, 64 * 1024, 1024 * 1024, (n) => progress.update(n))) {
      linesOf(group).forEach((text, i) => {
        const lineNo = group.firstLineNo + i;
        if (text === null) return warnings.add(`${file}:${lineNo}: line longer than 64 KiB; line skipped`);
        if (text.trim() === '') return;
        const rec = parseQueueLogLine(text);
        if (typeof rec === 'string') return warnings.add(`${file}:${lineNo}: ${rec}; line skipped`);
        summary.records++;
        for (const ev of importer.push(rec)) {
          log.append(ev);
          summary.events++;
          sinceFlush++;
          if (ev.type === 'queue-log.record') summary.keptVerbatim++;
        }
      });
      // Bound memory on a big file: let the log write what it has queued before reading on.
      if (sinceFlush >= 50_000) {
        sinceFlush = 0;
        await log.flush();
      }
    }
    await log.close();
  } catch (err) {
    progress.stop();
    await log.close().catch(() => undefined);
    warn(`${name}: ${(err as Error).message}`);
    return QUEUE_LOG_EXIT.failed;
  }
  progress.stop();
  summary.skippedLines = warnings.count();
  warnings.summary();
  opts.out(
    opts.json
      ? JSON.stringify(summary, null, 2)
      : `imported ${summary.records} queue_log records from ${summary.file} as ${summary.events} events (${summary.keptVerbatim} kept verbatim) into ${days.length} day file(s) of ${path.resolve(opts.eventsDir)}${summary.skippedLines > 0 ? `; ${summary.skippedLines} line(s) skipped` : ''}`,
  );
  return QUEUE_LOG_EXIT.ok;
}

/** UTC days (YYYY-MM-DD) of the records of a queue_log file, sorted; only the epoch prefix of each line is read. */
async function daysOf(file: string): Promise<string[]> {
  const days = new Set<string>();
  let lastDayIndex = Number.NaN;
  let partial = '';
  for await (const chunk of createReadStream(file, { encoding: 'latin1', highWaterMark: 1024 * 1024 }) as AsyncIterable<string>) {
    const text = partial + chunk;
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      addDay(text.slice(start, Math.min(nl, start + 16)));
      start = nl + 1;
    }
    partial = text.slice(start, start + 64);
  }
  addDay(partial);
  return [...days].sort();

  function addDay(line: string): void {
    const m = /^(\d{1,12})\|/.exec(line);
    if (!m) return;
    const ms = Number(m[1]) * 1000;
    const dayIndex = Math.floor(ms / 86_400_000);
    if (dayIndex === lastDayIndex) return;
    lastDayIndex = dayIndex;
    days.add(utcDayOf(ms));
  }
}

function lineWarnings(name: string, warn: (s: string) => void): { add: (s: string) => void; count: () => number; summary: () => void } {
  let n = 0;
  return {
    add: (s) => {
      n++;
      if (n <= MAX_LINE_WARNINGS) warn(s.startsWith(name) ? s : `${name}: ${s}`);
    },
    count: () => n,
    summary: () => {
      if (n > MAX_LINE_WARNINGS) warn(`${name}: ${n} lines skipped in all (${n - MAX_LINE_WARNINGS} not shown)`);
    },
  };
}

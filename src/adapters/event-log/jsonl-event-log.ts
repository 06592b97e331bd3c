/**
 * The durable event log: business events as JSON Lines, one file per UTC day chosen by each event's `ts`
 * (`<dir>/events-YYYY-MM-DD.jsonl`). Single writer per directory.
 *
 * Durability (see docs/events.md):
 * - append() is synchronous and cheap: it serialises the event to one complete line and queues it.
 * - Queued lines are written (write(2) on an O_APPEND descriptor, one call per day-file batch) at the end of
 *   the current event-loop turn, or at once when `maxBufferBytes` is queued. Once written they survive a
 *   crash of this process (they are in the OS page cache), but not a power loss or kernel crash.
 * - flush() and close() also fsync every open day file (and the directory after a file was created), so
 *   what was appended before them survives power loss once they resolve.
 * - A line is never split across two writes, so a crash can at worst tear the last line of a file; the
 *   reader skips such a line with a warning, and the writer starts a fresh line when it reopens a file
 *   whose last byte is not a newline.
 * Failures never throw out of append(): they are logged (pino) and the next flush()/close() rejects with
 * the first failure since the previous flush.
 */
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { HotlineEvent } from '../../domain/metrics/events.js';
import type { EventSink } from '../../ports/event-sink.js';
import { DAY_MS, dayFileName, utcDayOf } from './day-files.js';

export interface JsonlEventLogOptions {
  /** Directory of the day files, e.g. `<dataDir>/events`; created on the first write. */
  dir: string;
  logger?: Logger;
  /** Queued characters that trigger a write before the end of the event-loop turn (default 64 KiB). */
  maxBufferBytes?: number;
}

/** Raised (as a logged value, or a flush() rejection) when the log cannot take or keep an event. */
export class EventLogError extends Error {
  constructor(
    readonly code: 'HOTLINE_E_EVENT_LOG_CLOSED' | 'HOTLINE_E_EVENT_INVALID' | 'HOTLINE_E_EVENT_LOG_WRITE',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'EventLogError';
  }
}

interface QueuedLine {
  day: string;
  line: string;
}

interface DayFile {
  handle: FileHandle;
  /** Written to since the last fsync. */
  dirty: boolean;
}

/** Day files kept open: today, and yesterday for events stamped just before midnight that arrive late. */
const OPEN_DAYS = 2;

export class JsonlEventLog implements EventSink {
  readonly dir: string;
  private readonly logger: Logger | undefined;
  private readonly maxBufferBytes: number;
  private queue: QueuedLine[] = [];
  private queuedBytes = 0;
  private immediate: NodeJS.Immediate | undefined;
  /** Every write, fsync and close runs on this chain, in order; it never rejects. */
  private chain: Promise<void> = Promise.resolve();
  private readonly files = new Map<string, DayFile>();
  private dirCreated = false;
  private dirDirty = false;
  private failure: EventLogError | undefined;
  private closed = false;
  private closing: Promise<void> | undefined;
  private lastDayIndex = Number.NaN;
  private lastDay = '';

  constructor(opts: JsonlEventLogOptions) {
    this.dir = opts.dir;
    this.logger = opts.logger;
    this.maxBufferBytes = opts.maxBufferBytes ?? 64 * 1024;
  }

  append(event: HotlineEvent): void {
    if (this.closed) {
      const err = new EventLogError('HOTLINE_E_EVENT_LOG_CLOSED', 'event appended after the event log was closed; dropped');
      this.logger?.error({ err, eventType: event.type, callId: callIdOf(event) }, err.message);
      return;
    }
    const ts: unknown = event.ts;
    if (typeof ts !== 'number' || !Number.isFinite(ts)) {
      const err = new EventLogError('HOTLINE_E_EVENT_INVALID', `event without a valid ts (${String(ts)}); dropped`);
      this.logger?.error({ err, eventType: event.type, callId: callIdOf(event) }, err.message);
      return;
    }
    let line: string;
    try {
      // The whole line is built before it is queued: a write never carries part of an event.
      line = JSON.stringify(event) + '\n';
    } catch (cause) {
      const err = new EventLogError('HOTLINE_E_EVENT_INVALID', 'event cannot be serialised to JSON; dropped', { cause });
      this.logger?.error({ err, eventType: event.type, callId: callIdOf(event) }, err.message);
      return;
    }
    this.queue.push({ day: this.dayOf(ts), line });
    this.queuedBytes += line.length;
    if (this.queuedBytes >= this.maxBufferBytes) this.drain();
    else this.immediate ??= setImmediate(() => this.drain());
  }

  async flush(): Promise<void> {
    if (this.closing) return this.closing;
    this.drain();
    this.chain = this.chain.then(() => this.syncAll());
    await this.chain;
    this.throwFailure();
  }

  close(): Promise<void> {
    this.closing ??= this.closeOnce();
    return this.closing;
  }

  private async closeOnce(): Promise<void> {
    this.drain();
    this.closed = true;
    this.chain = this.chain.then(async () => {
      await this.syncAll();
      for (const day of [...this.files.keys()]) await this.closeDay(day);
    });
    await this.chain;
    this.throwFailure();
  }

  /** Hands the queued lines to the write chain. */
  private drain(): void {
    if (this.immediate) {
      clearImmediate(this.immediate);
      this.immediate = undefined;
    }
    if (this.queue.length === 0) return;
    const batch = this.queue;
    this.queue = [];
    this.queuedBytes = 0;
    this.chain = this.chain.then(() => this.writeBatch(batch));
  }

  private async writeBatch(batch: QueuedLine[]): Promise<void> {
    // Consecutive lines of the same day go out in one write, in append order.
    let start = 0;
    while (start < batch.length) {
      const day = batch[start]?.day ?? '';
      let end = start;
      let text = '';
      while (end < batch.length && batch[end]?.day === day) text += batch[end++]?.line ?? '';
      await this.writeDay(day, text, end - start);
      start = end;
    }
  }

  private async writeDay(day: string, text: string, eventCount: number): Promise<void> {
    let file: DayFile | undefined;
    try {
      file = await this.openDay(day);
      file.dirty = true;
      await writeAll(file.handle, Buffer.from(text, 'utf8'));
    } catch (cause) {
      this.recordFailure(`cannot write ${eventCount} event(s) to ${join(this.dir, dayFileName(day))}; dropped`, cause);
      // Reopen next time: the open path checks for (and ends) a line this failed write may have torn.
      if (file) await this.closeDay(day);
    }
  }

  private async openDay(day: string): Promise<DayFile> {
    const known = this.files.get(day);
    if (known) return known;
    if (!this.dirCreated) {
      await mkdir(this.dir, { recursive: true });
      this.dirCreated = true;
    }
    const path = join(this.dir, dayFileName(day));
    // a+: appends always go to the end (O_APPEND), and the last byte can still be read back.
    const handle = await open(path, 'a+');
    const file: DayFile = { handle, dirty: false };
    try {
      const { size } = await handle.stat();
      if (size === 0) this.dirDirty = true;
      else if (!(await endsWithNewline(handle, size))) {
        this.logger?.warn({ file: path }, 'event log file ends with a torn line (earlier crash?); starting a new line');
        await writeAll(handle, Buffer.from('\n'));
        file.dirty = true;
      }
    } catch (err) {
      await handle.close().catch(() => undefined);
      throw err;
    }
    this.files.set(day, file);
    await this.closeOldDays();
    return file;
  }

  private async closeOldDays(): Promise<void> {
    if (this.files.size <= OPEN_DAYS) return;
    const days = [...this.files.keys()].sort();
    for (const day of days.slice(0, days.length - OPEN_DAYS)) await this.closeDay(day);
  }

  private async closeDay(day: string): Promise<void> {
    const file = this.files.get(day);
    if (!file) return;
    this.files.delete(day);
    try {
      if (file.dirty) await file.handle.sync();
    } catch (cause) {
      this.recordFailure(`cannot fsync ${join(this.dir, dayFileName(day))}`, cause);
    }
    try {
      await file.handle.close();
    } catch (cause) {
      this.recordFailure(`cannot close ${join(this.dir, dayFileName(day))}`, cause);
    }
  }

  private async syncAll(): Promise<void> {
    for (const [day, file] of this.files) {
      if (!file.dirty) continue;
      try {
        await file.handle.sync();
        file.dirty = false;
      } catch (cause) {
        this.recordFailure(`cannot fsync ${join(this.dir, dayFileName(day))}`, cause);
      }
    }
    if (this.dirDirty) {
      // A new file's directory entry is only durable once the directory itself is synced.
      this.dirDirty = false;
      await syncDirectory(this.dir);
    }
  }

  private recordFailure(message: string, cause: unknown): void {
    const err = new EventLogError('HOTLINE_E_EVENT_LOG_WRITE', message, { cause });
    this.logger?.error({ err }, message);
    this.failure ??= err;
  }

  private throwFailure(): void {
    const failure = this.failure;
    this.failure = undefined;
    if (failure) throw failure;
  }

  private dayOf(ts: number): string {
    const dayIndex = Math.floor(ts / DAY_MS);
    if (dayIndex !== this.lastDayIndex) {
      this.lastDayIndex = dayIndex;
      this.lastDay = utcDayOf(ts);
    }
    return this.lastDay;
  }
}

function callIdOf(event: HotlineEvent): string | undefined {
  return 'callId' in event ? event.callId : undefined;
}

async function writeAll(handle: FileHandle, buf: Buffer): Promise<void> {
  let offset = 0;
  while (offset < buf.length) {
    const { bytesWritten } = await handle.write(buf, offset, buf.length - offset);
    offset += bytesWritten;
  }
}

async function endsWithNewline(handle: FileHandle, size: number): Promise<boolean> {
  const last = Buffer.alloc(1);
  await handle.read(last, 0, 1, size - 1);
  return last[0] === 0x0a;
}

async function syncDirectory(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // Some platforms (Windows) and file systems cannot fsync a directory; the files themselves are synced.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/**
 * The live set of flows, reloaded when ivr-flows/ changes. Each reload validates every file (flow-loader.ts)
 * and swaps in, per flow id, a new version only when its file validates: a file that fails keeps the last
 * good version running, with the errors logged as file:line:col and shown by `list()` (GET /api/flows).
 * A call holds the Flow object it started with, so swapping never touches calls in progress.
 *
 *   fs.watch (flows dir, recursive; calendar folders) ──event──► debounce ──► reload ──► swap per id
 *   (a reload asked for while one runs starts again when it ends)
 */
import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Flow } from '../../domain/flow/model.js';
import type { FlowSource } from '../../ports/flow-source.js';
import { formatFlowError, type FlowError } from './flow-errors.js';
import { loadFlowDir } from './flow-loader.js';

export interface FlowInfo {
  readonly id: string;
  /** The version running; null when no version of this flow ever validated. */
  readonly version: string | null;
  readonly file: string;
  /** When the running version was loaded (ISO 8601); null when none ever validated. */
  readonly loadedAt: string | null;
  /** Problems of the file's latest content, as `file:line:col: message`, while the last good version runs. */
  readonly lastError?: readonly string[];
}

export interface FlowRegistryOptions {
  flowsDir: string;
  promptsDir: string;
  logger: Logger;
  /** Quiet time after the last change before reloading (editors write files in several steps). */
  debounceMs?: number;
  /** Time source for `loadedAt`; default the wall clock. */
  nowMs?: () => number;
}

export interface ReloadReport {
  /** Flow ids whose running version changed. */
  readonly swapped: readonly string[];
  readonly errors: readonly FlowError[];
}

interface Entry {
  flow: Flow;
  file: string;
  hash: string;
  loadedAtMs: number;
  files: readonly string[];
  lastError?: readonly FlowError[];
}

export const DEFAULT_DEBOUNCE_MS = 250;

export class FlowRegistry implements FlowSource {
  private readonly entries = new Map<string, Entry>();
  /** Files that never produced a valid flow, with their errors (and the id they declare, if readable). */
  private readonly broken = new Map<string, { id: string; errors: readonly FlowError[] }>();
  private readonly watchers = new Map<string, FSWatcher>();
  private readonly listeners = new Set<(r: ReloadReport) => void>();
  private timer: NodeJS.Timeout | undefined;
  private loading: Promise<ReloadReport> | undefined;
  private again = false;
  private closed = false;

  constructor(private readonly opts: FlowRegistryOptions) {}

  get(flowId: string): Flow | undefined {
    return this.entries.get(flowId)?.flow;
  }

  /** Loads every flow and starts watching. Returns the problems found (start-up fails on them). */
  async start(): Promise<readonly FlowError[]> {
    const report = await this.reload();
    if (!this.closed) this.watchDir(this.opts.flowsDir, true);
    this.watchCalendarDirs();
    return report.errors;
  }

  /** Reloads now (the watcher calls it after the debounce); concurrent calls share one pass plus one more. */
  reload(): Promise<ReloadReport> {
    if (this.loading) {
      this.again = true;
      return this.loading;
    }
    this.loading = this.pass().finally(() => {
      this.loading = undefined;
      if (this.again && !this.closed) {
        this.again = false;
        this.reload().catch((err: unknown) => this.opts.logger.error({ err }, 'flow reload failed'));
      }
    });
    return this.loading;
  }

  /** Called after every reload pass (tests and logs). Returns an unsubscribe function. */
  onReload(fn: (r: ReloadReport) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  list(): FlowInfo[] {
    const out: FlowInfo[] = [];
    for (const [id, e] of this.entries) {
      out.push({
        id,
        version: e.flow.version,
        file: e.file,
        loadedAt: new Date(e.loadedAtMs).toISOString(),
        ...(e.lastError ? { lastError: e.lastError.map(formatFlowError) } : {}),
      });
    }
    for (const [file, b] of this.broken) out.push({ id: b.id, version: null, file, loadedAt: null, lastError: b.errors.map(formatFlowError) });
    return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : a.file < b.file ? -1 : 1));
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const w of this.watchers.values()) w.close();
    this.watchers.clear();
    await this.loading?.catch(() => undefined);
  }

  private async pass(): Promise<ReloadReport> {
    const { logger } = this.opts;
    const now = this.opts.nowMs ?? Date.now;
    const loaded = await loadFlowDir(this.opts.flowsDir, { promptsDir: this.opts.promptsDir });
    const swapped: string[] = [];
    const seenFiles = new Set<string>();
    this.broken.clear();
    for (const [file, result] of loaded.results) {
      seenFiles.add(file);
      if (result.ok) {
        const { flow } = result;
        const old = this.entries.get(flow.id);
        if (!old || old.hash !== result.contentHash || old.file !== file) {
          this.entries.set(flow.id, { flow, file, hash: result.contentHash, loadedAtMs: now(), files: result.files });
          swapped.push(flow.id);
          logger.info({ flowId: flow.id, version: flow.version, file, previous: old?.flow.version }, old ? 'flow reloaded' : 'flow loaded');
        } else if (old.lastError) {
          delete old.lastError;
          logger.info({ flowId: flow.id, version: flow.version, file }, 'flow file valid again (unchanged version)');
        }
        continue;
      }
      const id = result.flowId ?? this.idOfFile(file);
      const entry = id === undefined ? undefined : this.entries.get(id);
      for (const e of result.errors) logger.warn({ flowId: id, file: e.file, line: e.line, col: e.col, code: e.code }, formatFlowError(e));
      if (entry) {
        entry.lastError = result.errors;
        logger.warn({ flowId: id, version: entry.flow.version, file }, 'flow file has errors: the last good version keeps running');
      } else {
        this.broken.set(file, { id: id ?? path.basename(file).replace(/\.ya?ml$/i, ''), errors: result.errors });
      }
    }
    const okIdOfFile = new Map<string, string>();
    for (const [file, r] of loaded.results) if (r.ok) okIdOfFile.set(file, r.flow.id);
    for (const [id, e] of this.entries) {
      const now = okIdOfFile.get(e.file);
      if (now !== undefined && now !== id) {
        const message = `${e.file} now defines flow "${now}"; flow "${id}" version ${e.flow.version} keeps running until the engine restarts`;
        e.lastError = [{ file: e.file, line: 1, col: 1, message, code: 'flow/duplicate-flow-id' }];
        continue;
      }
      if (!seenFiles.has(e.file) && !e.lastError) {
        const message = `flow file is gone; flow "${id}" version ${e.flow.version} keeps running until the engine restarts`;
        e.lastError = [{ file: e.file, line: 1, col: 1, message, code: 'flow/unreadable-file' }];
        logger.warn({ flowId: id, file: e.file }, message);
      }
    }
    const dirErrors = loaded.errors.filter((e) => e.file === this.opts.flowsDir);
    for (const e of dirErrors) logger.error({ file: e.file }, formatFlowError(e));
    this.watchCalendarDirs();
    const report: ReloadReport = { swapped, errors: loaded.errors };
    for (const fn of this.listeners) fn(report);
    return report;
  }

  private idOfFile(file: string): string | undefined {
    for (const [id, e] of this.entries) if (e.file === file) return id;
    return undefined;
  }

  /** Calendars may live outside the flows folder: watch the folders they are in too. */
  private watchCalendarDirs(): void {
    if (this.closed || this.watchers.size === 0) return;
    const flowsDir = path.resolve(this.opts.flowsDir);
    for (const e of this.entries.values()) {
      for (const f of e.files.slice(1)) {
        const dir = path.dirname(f);
        if (!dir.startsWith(flowsDir + path.sep) && dir !== flowsDir) this.watchDir(dir, false);
      }
    }
  }

  private watchDir(dir: string, recursive: boolean): void {
    if (this.watchers.has(dir)) return;
    try {
      const w = watch(dir, { recursive, persistent: false }, () => this.schedule());
      w.on('error', (err) => this.opts.logger.error({ err, dir }, 'watching flows failed'));
      this.watchers.set(dir, w);
    } catch (err) {
      this.opts.logger.error({ err, dir }, 'cannot watch for flow changes; reload needs a restart');
    }
  }

  private schedule(): void {
    if (this.closed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.reload().catch((err: unknown) => this.opts.logger.error({ err }, 'flow reload failed'));
    }, this.opts.debounceMs ?? DEFAULT_DEBOUNCE_MS);
  }
}

/**
 * The built-in MediaEngine as the main thread sees it: a thin request/response client of media-worker.ts.
 * Every call is a postMessage; calls that return promises are matched to the worker's answer by id. DTMF and
 * periodic stats come back unasked.
 */
import { Worker } from 'node:worker_threads';
import type {
  LocalMedia,
  MediaEngine,
  MediaPlayOutcome,
  MediaSessionEvents,
  RemoteMedia,
} from './media-engine.js';
import { deserializeMediaError, MediaError } from './media-errors.js';
import { validateRtpPortRange } from './rtp-ports.js';
import type {
  MediaWorkerConfig,
  MediaWorkerData,
  MediaWorkerStats,
  RequestResults,
  WorkerMessage,
  WorkerRequest,
} from './worker-protocol.js';

/** The subset of a pino logger we use (a pino Logger fits). */
export interface MediaLogger {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface WorkerMediaEngineOptions {
  /** Address the RTP sockets bind to (default 127.0.0.1). */
  host?: string;
  /** Address put in LocalMedia for the SDP c= line, when it differs from `host` (e.g. host 0.0.0.0). */
  advertiseAddress?: string;
  /** Even ports of [portMin, portMax] are used for RTP. */
  portMin: number;
  portMax: number;
  /** Latch onto the observed RTP source (default true); see media-session.ts. */
  symmetricRtp?: boolean;
  /** How often the worker refreshes the figures stats() returns (default 1000 ms). */
  statsIntervalMs?: number;
  logger?: MediaLogger;
}

type RequestOp = keyof RequestResults;
type RequestFields<Op extends RequestOp> = Omit<Extract<WorkerRequest, { op: Op }>, 'id' | 'op'>;
type OneWayRequest = Exclude<WorkerRequest, { id: number }>;

interface Pending {
  op: RequestOp;
  resolve(value: unknown): void;
  reject(err: Error): void;
}

const CLOSE_TIMEOUT_MS = 5_000;

export class WorkerMediaEngine implements MediaEngine {
  private readonly config: MediaWorkerConfig;
  private readonly advertiseAddress: string;
  private readonly logger: MediaLogger | undefined;
  private worker: Worker | null = null;
  private events: MediaSessionEvents | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private readonly sessionIds = new Set<string>();
  private readonly creating = new Map<string, { destroyed: boolean }>();
  private lastStats: MediaWorkerStats | null = null;
  private closed = false;

  constructor(options: WorkerMediaEngineOptions) {
    validateRtpPortRange(options.portMin, options.portMax);
    const host = options.host ?? '127.0.0.1';
    this.config = {
      host,
      portMin: options.portMin,
      portMax: options.portMax,
      symmetricRtp: options.symmetricRtp ?? true,
      statsIntervalMs: options.statsIntervalMs ?? 1000,
    };
    this.advertiseAddress = options.advertiseAddress ?? host;
    this.logger = options.logger;
  }

  async start(events: MediaSessionEvents): Promise<void> {
    if (this.worker || this.closed) throw new MediaError('HOTLINE_E_MEDIA_ENGINE_STATE', 'media engine already started');
    this.events = events;
    const worker = spawnMediaWorker(this.config);
    this.worker = worker;
    await new Promise<void>((resolve, reject) => {
      const settle = (err: Error | null): void => {
        worker.off('message', onReady);
        worker.off('error', onError);
        worker.off('exit', onExit);
        if (!err) return resolve();
        this.worker = null;
        reject(new MediaError('HOTLINE_E_MEDIA_WORKER', `media worker failed to start: ${err.message}`));
      };
      const onReady = (message: WorkerMessage): void => {
        if (message.kind === 'ready') settle(null);
      };
      const onError = (err: Error): void => settle(err);
      const onExit = (code: number): void => settle(new Error(`exited with code ${code}`));
      worker.on('message', onReady);
      worker.on('error', onError);
      worker.on('exit', onExit);
    });
    worker.on('message', (message: WorkerMessage) => this.onMessage(message));
    worker.on('error', (err) => this.onWorkerGone(err));
    worker.on('exit', (code) => this.onWorkerGone(new Error(`media worker exited with code ${code}`)));
  }

  async createSession(sessionId: string): Promise<LocalMedia> {
    const pending = { destroyed: false };
    this.creating.set(sessionId, pending);
    let local: LocalMedia;
    try {
      local = await this.request('create', { sessionId });
    } finally {
      if (this.creating.get(sessionId) === pending) this.creating.delete(sessionId);
    }
    // destroySession() during creation (caller hung up): the worker has already released the port.
    if (pending.destroyed) {
      throw new MediaError('HOTLINE_E_MEDIA_UNKNOWN_SESSION', `media session ${sessionId} was destroyed while being created`);
    }
    this.sessionIds.add(sessionId);
    return { address: this.advertiseAddress, port: local.port };
  }

  setRemote(sessionId: string, remote: RemoteMedia): void {
    this.send({ op: 'setRemote', sessionId, remote: { ...remote } });
  }

  play(sessionId: string, files: readonly string[], opts: { bargeIn: boolean; loop: boolean }): Promise<MediaPlayOutcome> {
    return this.request('play', { sessionId, files: [...files], bargeIn: opts.bargeIn, loop: opts.loop });
  }

  stop(sessionId: string): void {
    this.send({ op: 'stop', sessionId });
  }

  bridge(a: string, b: string): void {
    this.send({ op: 'bridge', a, b });
  }

  unbridge(sessionId: string): void {
    this.send({ op: 'unbridge', sessionId });
  }

  startRecording(sessionId: string, file: string): void {
    this.send({ op: 'startRecording', sessionId, file });
  }

  async stopRecording(sessionId: string): Promise<void> {
    await this.request('stopRecording', { sessionId });
  }

  destroySession(sessionId: string): void {
    this.sessionIds.delete(sessionId);
    const creating = this.creating.get(sessionId);
    if (creating) creating.destroyed = true;
    if (this.worker) this.send({ op: 'destroy', sessionId });
  }

  /** Session count is current; jitter figures are as of the worker's last push (statsIntervalMs). */
  stats(): { sessions: number; sendJitterP50Ms: number; sendJitterP99Ms: number } {
    return {
      sessions: this.sessionIds.size,
      sendJitterP50Ms: this.lastStats?.sendJitterP50Ms ?? 0,
      sendJitterP99Ms: this.lastStats?.sendJitterP99Ms ?? 0,
    };
  }

  /**
   * Fresh figures straight from the worker, with packet counters. `resetJitter` starts a new measurement window
   * for the jitter percentiles after this snapshot (benchmarks skip their warm-up that way).
   */
  statsNow(options: { resetJitter?: boolean } = {}): Promise<MediaWorkerStats> {
    return this.request('stats', { resetJitter: options.resetJitter ?? false });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const worker = this.worker;
    if (!worker) return;
    let timer: NodeJS.Timeout | undefined;
    try {
      // The worker stops every playback, closes every socket and finishes recordings before answering.
      await Promise.race([
        this.request('close', {}),
        new Promise((resolve) => {
          timer = setTimeout(resolve, CLOSE_TIMEOUT_MS);
        }),
      ]);
    } catch (err) {
      this.logger?.warn({ err }, 'media worker close failed');
    } finally {
      clearTimeout(timer);
    }
    this.worker = null;
    worker.removeAllListeners();
    await worker.terminate();
    this.failPending(new MediaError('HOTLINE_E_MEDIA_ENGINE_STATE', 'media engine closed'));
    this.sessionIds.clear();
  }

  private request<Op extends RequestOp>(op: Op, fields: RequestFields<Op>): Promise<RequestResults[Op]> {
    const worker = this.worker;
    if (!worker || (this.closed && op !== 'close')) {
      return Promise.reject(new MediaError('HOTLINE_E_MEDIA_ENGINE_STATE', `media engine is not running (${op})`));
    }
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { op, resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage({ ...fields, op, id } as WorkerRequest);
    });
  }

  private send(req: OneWayRequest): void {
    if (!this.worker || this.closed) {
      throw new MediaError('HOTLINE_E_MEDIA_ENGINE_STATE', `media engine is not running (${req.op})`);
    }
    this.worker.postMessage(req);
  }

  private onMessage(message: WorkerMessage): void {
    switch (message.kind) {
      case 'result': {
        const pending = this.pending.get(message.id);
        if (!pending) return;
        this.pending.delete(message.id);
        if (message.ok) pending.resolve(message.value);
        else pending.reject(deserializeMediaError(message.error));
        return;
      }
      case 'dtmf':
        this.events?.onDtmf(message.sessionId, message.digit);
        return;
      case 'stats':
        this.lastStats = message.stats;
        return;
      case 'log':
        this.logger?.[message.level](message.fields, message.msg);
        return;
      case 'ready':
        return;
    }
  }

  private onWorkerGone(err: Error): void {
    if (!this.worker) return;
    this.worker = null;
    this.logger?.error({ err }, 'media worker stopped unexpectedly; every media session is lost');
    this.failPending(new MediaError('HOTLINE_E_MEDIA_WORKER', `media worker stopped: ${err.message}`));
  }

  /** Pending plays end 'stopped' (the call flow carries on and hangs up cleanly); other requests reject. */
  private failPending(err: MediaError): void {
    for (const pending of this.pending.values()) {
      if (pending.op === 'play') pending.resolve('stopped');
      else pending.reject(err);
    }
    this.pending.clear();
  }
}

/**
 * Compiled (dist/…/media-worker.js) the worker is plain JS. From sources (vitest, tsx) this module is a .ts file
 * and the worker goes through a small bootstrap that registers tsx first.
 */
function spawnMediaWorker(config: MediaWorkerConfig): Worker {
  const here = import.meta.url;
  const fromSources = /\.[cm]?ts$/.test(new URL(here).pathname);
  const data: MediaWorkerData = { config };
  if (!fromSources) return new Worker(new URL('./media-worker.js', here), { workerData: data, name: 'hotline-media' });
  data.entryUrl = new URL('./media-worker.ts', here).href;
  return new Worker(new URL('./media-worker-tsx.mjs', here), { workerData: data, name: 'hotline-media' });
}

/**
 * The media worker thread: owns every RTP socket, the single 20 ms media clock that paces all sessions, the
 * prompt cache and the recorders. Running here, a burst of SIP parsing or HTTP work on the main thread never
 * delays a packet. It talks to WorkerMediaEngine only through the messages in worker-protocol.ts.
 */
import { performance } from 'node:perf_hooks';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { JitterHistogram } from './jitter-histogram.js';
import { MediaError, serializeMediaError } from './media-errors.js';
import type { MediaPlayOutcome } from './media-engine.js';
import { MediaSession, type LogLevel, type MediaCounters, type SessionHost } from './media-session.js';
import { FRAME_MS, FrameSlots, MediaClock, SLOTS_PER_FRAME } from './pacer.js';
import { Player } from './playback.js';
import { RtpPortAllocator } from './rtp-ports.js';
import { PromptCache } from './wav.js';
import type {
  MediaWorkerConfig,
  MediaWorkerData,
  MediaWorkerStats,
  WorkerMessage,
  WorkerRequest,
} from './worker-protocol.js';

export class MediaWorker implements SessionHost {
  readonly counters: MediaCounters = { packetsSent: 0, packetsReceived: 0, packetsMalformed: 0, packetsIgnored: 0 };
  readonly symmetricRtp: boolean;
  private readonly sessions = new Map<string, MediaSession>();
  private readonly creating = new Set<string>();
  /** Sessions destroyed while their port was still being bound. */
  private readonly destroyedWhileCreating = new Set<string>();
  /** Bumped by every play/stop/bridge so a play whose prompts finish loading late knows it was superseded. */
  private readonly playGeneration = new Map<string, number>();
  /** Recordings of destroyed sessions still being written, so a late stopRecording can wait for them. */
  private readonly finalizing = new Map<string, Promise<void>>();
  private readonly prompts = new PromptCache();
  private readonly ports: RtpPortAllocator;
  private readonly jitter = new JitterHistogram();
  /** Playing sessions, spread over the sub-frame slots the clock serves in turn (see pacer.ts). */
  private readonly playing = new FrameSlots<MediaSession>(SLOTS_PER_FRAME);
  private readonly clock = new MediaClock((tick, deadlineMs) => this.onTick(tick, deadlineMs), {
    periodMs: FRAME_MS / SLOTS_PER_FRAME,
  });
  private readonly statsTimer: NodeJS.Timeout;
  private tickErrors = 0;
  private closing: Promise<void> | null = null;

  constructor(
    private readonly config: MediaWorkerConfig,
    private readonly post: (message: WorkerMessage) => void,
  ) {
    this.symmetricRtp = config.symmetricRtp;
    this.ports = new RtpPortAllocator(config.host, config.portMin, config.portMax);
    this.statsTimer = setInterval(() => this.post({ kind: 'stats', stats: this.stats() }), config.statsIntervalMs);
  }

  handle(req: WorkerRequest): void {
    try {
      switch (req.op) {
        case 'create':
          return this.respond(req.id, this.create(req.sessionId));
        case 'play':
          return this.respond(req.id, this.play(req.sessionId, req.files, req.bargeIn, req.loop));
        case 'stopRecording':
          return this.respond(req.id, this.stopRecording(req.sessionId));
        case 'stats': {
          const stats = this.stats();
          if (req.resetJitter) this.jitter.reset();
          return this.respond(req.id, Promise.resolve(stats));
        }
        case 'close':
          return this.respond(req.id, this.close());
        case 'setRemote':
          return this.session(req.sessionId).setRemote(req.remote);
        case 'stop':
          // Stopping or unbridging a session that has already gone is a normal race with hang-up: no warning.
          if (this.playGeneration.has(req.sessionId)) this.bumpPlayGeneration(req.sessionId);
          return this.sessions.get(req.sessionId)?.stopPlayback('stopped');
        case 'bridge':
          return this.bridge(req.a, req.b);
        case 'unbridge':
          return this.sessions.get(req.sessionId)?.unbridge();
        case 'startRecording':
          return this.session(req.sessionId).startRecording(req.file);
        case 'destroy':
          return this.destroy(req.sessionId);
      }
    } catch (err) {
      // One-way requests have nobody to answer: tell the operator.
      this.log('warn', `media ${req.op} failed: ${(err as Error).message}`, { op: req.op });
    }
  }

  // ---- SessionHost ----

  nowMs(): number {
    return performance.now();
  }

  recordSendLateness(lateMs: number): void {
    this.jitter.record(lateMs);
  }

  onDtmf(sessionId: string, digit: string): void {
    this.post({ kind: 'dtmf', sessionId, digit });
  }

  onPlayingChanged(session: MediaSession): void {
    if (session.playing && !this.closing) {
      this.playing.add(session, this.clock.upcomingTick);
      this.clock.start();
    } else {
      this.playing.remove(session);
      if (this.playing.size === 0) this.clock.stop();
    }
  }

  log(level: LogLevel, msg: string, fields: Record<string, unknown>): void {
    this.post({ kind: 'log', level, msg, fields });
  }

  // ---- requests ----

  private async create(sessionId: string): Promise<{ address: string; port: number }> {
    if (this.closing) throw new MediaError('HOTLINE_E_MEDIA_ENGINE_STATE', 'media engine is closing');
    if (this.sessions.has(sessionId) || this.creating.has(sessionId)) {
      throw new MediaError('HOTLINE_E_MEDIA_SESSION_EXISTS', `media session ${sessionId} already exists`);
    }
    this.creating.add(sessionId);
    try {
      const { socket, port } = await this.ports.bind();
      if (this.closing || this.destroyedWhileCreating.has(sessionId)) {
        socket.close();
        this.ports.release(port);
        if (this.closing) throw new MediaError('HOTLINE_E_MEDIA_ENGINE_STATE', 'media engine is closing');
        throw new MediaError('HOTLINE_E_MEDIA_UNKNOWN_SESSION', `media session ${sessionId} was destroyed while being created`);
      }
      this.sessions.set(sessionId, new MediaSession(sessionId, socket, port, this));
      return { address: this.config.host, port };
    } finally {
      this.creating.delete(sessionId);
      this.destroyedWhileCreating.delete(sessionId);
    }
  }

  private async play(sessionId: string, files: readonly string[], bargeIn: boolean, loop: boolean): Promise<MediaPlayOutcome> {
    const session = this.session(sessionId);
    // A new play replaces the current one at once, even before its prompts are loaded.
    session.stopPlayback('stopped');
    const generation = this.bumpPlayGeneration(sessionId);
    const prompts = await Promise.all(files.map((file) => this.prompts.load(file)));
    if (this.closing || this.sessions.get(sessionId) !== session || this.playGeneration.get(sessionId) !== generation) {
      return 'stopped';
    }
    return new Promise((resolve) => session.startPlayback(new Player(prompts, loop, bargeIn), resolve));
  }

  private bridge(a: string, b: string): void {
    if (a === b) throw new MediaError('HOTLINE_E_MEDIA_ENGINE_STATE', `cannot bridge session ${a} with itself`);
    const sessionA = this.session(a);
    const sessionB = this.session(b);
    for (const [id, session] of [[a, sessionA], [b, sessionB]] as const) {
      session.unbridge();
      this.bumpPlayGeneration(id);
      session.stopPlayback('stopped');
    }
    sessionA.peer = sessionB;
    sessionB.peer = sessionA;
  }

  private async stopRecording(sessionId: string): Promise<undefined> {
    const session = this.sessions.get(sessionId);
    if (session) await session.stopRecording();
    else await this.finalizing.get(sessionId);
    return undefined;
  }

  private destroy(sessionId: string): void {
    if (this.creating.has(sessionId)) this.destroyedWhileCreating.add(sessionId);
    const session = this.sessions.get(sessionId);
    if (!session) return;
    this.sessions.delete(sessionId);
    this.playGeneration.delete(sessionId);
    this.ports.release(session.port);
    const done = session
      .destroy()
      .catch((err: Error) => this.log('error', err.message, { sessionId }))
      .finally(() => {
        if (this.finalizing.get(sessionId) === done) this.finalizing.delete(sessionId);
      });
    this.finalizing.set(sessionId, done);
  }

  private close(): Promise<undefined> {
    this.closing ??= (async () => {
      this.clock.stop();
      clearInterval(this.statsTimer);
      for (const sessionId of [...this.sessions.keys()]) this.destroy(sessionId);
      await Promise.all(this.finalizing.values());
    })();
    return this.closing.then(() => undefined);
  }

  private stats(): MediaWorkerStats {
    const loop = performance.eventLoopUtilization();
    return {
      sessions: this.sessions.size,
      sendJitterP50Ms: this.jitter.percentileMs(50),
      sendJitterP99Ms: this.jitter.percentileMs(99),
      ...this.counters,
      ticksSkipped: this.clock.skippedTicks,
      workerActiveMs: loop.active,
      workerIdleMs: loop.idle,
    };
  }

  // ---- internals ----

  private onTick(tick: number, deadlineMs: number): void {
    const { frame, members } = this.playing.due(tick);
    for (const session of members) {
      try {
        session.onTick(frame, deadlineMs);
      } catch (err) {
        // A bug in one session must not stop the clock for every call.
        if (this.tickErrors++ % 1000 === 0) this.log('error', `media tick failed: ${(err as Error).stack}`, { sessionId: session.id });
        session.stopPlayback('stopped');
      }
    }
  }

  private session(sessionId: string): MediaSession {
    const session = this.sessions.get(sessionId);
    if (!session) throw new MediaError('HOTLINE_E_MEDIA_UNKNOWN_SESSION', `no media session ${sessionId}`);
    return session;
  }

  private bumpPlayGeneration(sessionId: string): number {
    const next = (this.playGeneration.get(sessionId) ?? 0) + 1;
    this.playGeneration.set(sessionId, next);
    return next;
  }

  private respond(id: number, result: Promise<unknown>): void {
    result.then(
      (value) => this.post({ kind: 'result', id, ok: true, value }),
      (err: unknown) => this.post({ kind: 'result', id, ok: false, error: serializeMediaError(err) }),
    );
  }
}

const data = workerData as MediaWorkerData | null;
if (!isMainThread && parentPort && data?.config) {
  const port = parentPort;
  const worker = new MediaWorker(data.config, (message) => port.postMessage(message));
  port.on('message', (req: WorkerRequest) => worker.handle(req));
  port.postMessage({ kind: 'ready' } satisfies WorkerMessage);
}

/**
 * Carries out the flow interpreter's commands for one call and feeds the outcomes back in: media on the call
 * leg, timers on the clock, business events, HTTP dips, voicemail recordings, transfers and the ACD hand-over.
 * Every async outcome re-enters through `input`, stamped with the clock's time; once stopped (the call ended
 * or left the flow), late outcomes are dropped and whatever is in flight is cancelled.
 */
import type { Logger } from 'pino';
import { resumeFlow, startFlow, stepFlow, type FlowCommand, type FlowInput, type FlowState, type FlowStep } from '../domain/flow/interpreter.js';
import type { Flow } from '../domain/flow/model.js';
import type { Clock, TimerHandle } from '../ports/clock.js';
import type { CallRecord, CallRecords } from './call-records.js';
import type { Emit } from './events.js';
import type { HttpDip } from './flow-http.js';
import type { FlowTransfers } from './flow-transfer.js';
import type { VoicemailRecorder, VoicemailRecording } from './flow-voicemail.js';
import type { RoutingAttributes } from '../domain/flow/commands.js';

/** The part of the ACD a flow needs. AcdService fits; routing attributes are passed for it to honour. */
export interface FlowAcd {
  enqueue(callId: string, queueId: string, priority: number, attrs?: RoutingAttributes): Promise<void>;
  callerLeft(callId: string): Promise<void>;
}

export interface FlowRunnerDeps {
  clock: Clock;
  emit: Emit;
  calls: CallRecords;
  acd: FlowAcd;
  promptsDir: string;
  httpDip: HttpDip;
  /** Without it, transfers to agents and external numbers fail (reason unsupported). */
  transfers?: FlowTransfers;
  /** Without it, voicemail nodes record nothing (logged). */
  recorder?: VoicemailRecorder;
}

interface Recording {
  requestId: string;
  started: Promise<VoicemailRecording | undefined>;
  /** Set once started, so a hang-up can close it at once (voicemail.recorded before call.ended). */
  active?: VoicemailRecording;
}

export class FlowRunner {
  private state: FlowState | undefined;
  private readonly timers = new Map<string, TimerHandle>();
  private readonly requests = new Map<string, () => void>();
  private recording: Recording | undefined;
  private stopped = false;

  constructor(
    private readonly deps: FlowRunnerDeps,
    readonly flow: Flow,
    private readonly rec: CallRecord,
    private readonly log: Logger,
  ) {}

  /** The interpreter state (for tests and diagnostics). */
  get current(): FlowState | undefined {
    return this.state;
  }

  start(): void {
    const step = startFlow(this.flow, {
      callId: this.rec.callId,
      from: this.rec.from,
      to: this.rec.to,
      promptsDir: this.deps.promptsDir,
      startedAtMs: this.deps.clock.nowMs(),
    });
    this.apply(step);
  }

  input(input: FlowInput): void {
    if (this.stopped || !this.state) return;
    const step = stepFlow(this.flow, this.state, { ...input, atMs: this.deps.clock.nowMs() });
    if (step.ignored) this.log.debug({ input: input.kind, reason: step.ignored, nodeId: this.state.nodeId }, 'flow input ignored');
    this.apply(step);
  }

  /**
   * A queue hands the call back (its exit leads to a flow node): the flow runs on from `nodeId` with the
   * variables it had. False when it cannot (the flow is not queued, or has no such node: the call is hung up).
   */
  resumeAt(nodeId: string): boolean {
    if (!this.state || this.state.status !== 'queued' || !this.flow.nodes[nodeId]) return false;
    this.stopped = false;
    this.log.info({ nodeId }, 'queue hands the call back to its flow');
    this.apply(resumeFlow(this.flow, this.state, nodeId, this.deps.clock.nowMs()));
    return true;
  }

  /** The call ended or left the flow: cancel timers and requests, close a recording in progress. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
    for (const cancel of this.requests.values()) cancel();
    this.requests.clear();
    this.finishRecording();
  }

  private apply(step: FlowStep): void {
    if (step.fault) this.log.error({ code: step.fault.code, nodeId: this.state?.nodeId }, step.fault.message);
    this.state = step.state;
    if (step.entered?.length) this.log.debug({ path: step.entered }, 'flow nodes entered');
    this.execute(step.commands);
    // Connected to an agent: the flow is over, the bridge owns the call now.
    if (step.state.status === 'transferred') this.stop();
  }

  private execute(commands: readonly FlowCommand[]): void {
    for (const cmd of commands) {
      if (this.stopped) return;
      this.run(cmd);
    }
  }

  private run(cmd: FlowCommand): void {
    const { leg } = this.rec;
    switch (cmd.kind) {
      case 'play':
        leg
          .play(cmd.files, { bargeIn: cmd.bargeIn })
          .then((outcome) => this.input({ kind: 'play-finished', playId: cmd.playId, outcome: outcome === 'hangup' ? 'stopped' : outcome }))
          .catch((err: unknown) => this.log.warn({ err, files: cmd.files }, 'playback failed'));
        return;
      case 'stop-play':
        leg.stopMedia();
        return;
      case 'start-timer': {
        this.timers.get(cmd.timerId)?.cancel();
        const handle = this.deps.clock.setTimer(cmd.ms, () => {
          this.timers.delete(cmd.timerId);
          this.input({ kind: 'timer', timerId: cmd.timerId });
        });
        this.timers.set(cmd.timerId, handle);
        return;
      }
      case 'cancel-timer':
        this.timers.get(cmd.timerId)?.cancel();
        this.timers.delete(cmd.timerId);
        return;
      case 'emit':
        this.deps.emit(cmd.event);
        return;
      case 'http':
        this.http(cmd);
        return;
      case 'transfer':
        this.transfer(cmd);
        return;
      case 'record-start':
        this.recordStart(cmd);
        return;
      case 'record-stop':
        this.recordStop(cmd.requestId);
        return;
      case 'cancel-request':
        this.requests.get(cmd.requestId)?.();
        this.requests.delete(cmd.requestId);
        if (this.recording?.requestId === cmd.requestId) this.finishRecording();
        return;
      case 'enqueue': {
        this.stop();
        const attrs: RoutingAttributes = {
          ...(cmd.skills ? { skills: cmd.skills } : {}),
          ...(cmd.callerClass ? { callerClass: cmd.callerClass } : {}),
          ...(cmd.language ? { language: cmd.language } : {}),
        };
        this.log.info({ queueId: cmd.queueId, priority: cmd.priority, ...attrs }, 'flow hands the call to a queue');
        this.deps.acd.enqueue(this.rec.callId, cmd.queueId, cmd.priority, attrs).catch((err: unknown) => this.log.error({ err }, 'enqueue failed'));
        return;
      }
      case 'hangup':
        this.stop();
        this.log.info({ cause: cmd.cause }, 'flow hangs up');
        leg.hangup(cmd.cause).catch((err: unknown) => this.log.warn({ err }, 'hang-up failed'));
        this.deps.calls.finish(this.rec.callId, 'system', cmd.cause);
        return;
    }
  }

  private http(cmd: Extract<FlowCommand, { kind: 'http' }>): void {
    const controller = new AbortController();
    this.requests.set(cmd.requestId, () => controller.abort());
    this.deps.httpDip
      .run(cmd, controller.signal)
      .then((result) => {
        this.requests.delete(cmd.requestId);
        if (controller.signal.aborted) return;
        this.log.info({ nodeId: cmd.nodeId, outcome: result.outcome, status: result.status, attempts: result.attempts, elapsedMs: result.elapsedMs, error: result.error }, 'http dip');
        this.input(result);
      })
      .catch((err: unknown) => this.log.error({ err }, 'http dip failed'));
  }

  private transfer(cmd: Extract<FlowCommand, { kind: 'transfer' }>): void {
    const { transfers } = this.deps;
    if (!transfers) {
      this.log.warn({ target: cmd.target.kind }, 'transfers are not configured in this engine');
      queueMicrotask(() => this.input({ kind: 'transfer-result', requestId: cmd.requestId, outcome: 'failed', reason: 'unsupported' }));
      return;
    }
    const handle = transfers.start({ rec: this.rec, target: cmd.target, ringTimeoutMs: cmd.ringTimeoutMs, log: this.log });
    this.requests.set(cmd.requestId, () => handle.cancel());
    handle.outcome
      .then((o) => {
        if (!this.requests.delete(cmd.requestId)) return;
        this.input({ kind: 'transfer-result', requestId: cmd.requestId, outcome: o.outcome, ...(o.outcome === 'failed' ? { reason: o.reason } : {}) });
      })
      .catch((err: unknown) => this.log.error({ err }, 'transfer outcome handling failed'));
  }

  private recordStart(cmd: Extract<FlowCommand, { kind: 'record-start' }>): void {
    const { recorder } = this.deps;
    if (!recorder) this.log.warn({ mailbox: cmd.mailbox }, 'voicemail is not configured (no data dir): nothing is recorded');
    const started = recorder
      ? recorder.start(this.rec.leg, { callId: this.rec.callId, nodeId: cmd.nodeId, mailbox: cmd.mailbox, from: this.rec.from }, this.log).catch((err: unknown) => {
          this.log.error({ err, mailbox: cmd.mailbox }, 'recording could not start');
          return undefined;
        })
      : Promise.resolve(undefined);
    const recording: Recording = { requestId: cmd.requestId, started };
    started.then((r) => (recording.active = r)).catch(() => undefined);
    this.recording = recording;
  }

  private recordStop(requestId: string): void {
    const r = this.recording;
    if (!r || r.requestId !== requestId) return;
    this.recording = undefined;
    r.started
      .then((rec) => rec?.finish())
      .then(() => this.input({ kind: 'recording-finished', requestId }))
      .catch((err: unknown) => this.log.error({ err }, 'finishing the recording failed'));
  }

  /**
   * Closes a recording in progress without telling the flow (it moved on or the call ended). After a hang-up
   * the event is emitted at once, so voicemail.recorded comes before the call's call.ended.
   */
  private finishRecording(): void {
    const r = this.recording;
    if (!r) return;
    this.recording = undefined;
    const done = r.active ? r.active.finish() : r.started.then((rec) => rec?.finish());
    done.catch((err: unknown) => this.log.error({ err }, 'finishing the recording failed'));
  }
}

/**
 * One inbound call from INVITE to the queue: number lookup (404 when unknown), answer, then the IVR flow is
 * stepped by the pure interpreter and its commands are carried out on the call leg. The call keeps the flow
 * version it started with.
 */
import type { Logger } from 'pino';
import { startFlow, stepFlow, type FlowCommand, type FlowInput, type FlowState } from '../domain/flow/interpreter.js';
import type { Flow } from '../domain/flow/model.js';
import type { InboundCall } from '../ports/call-control.js';
import type { Clock, TimerHandle } from '../ports/clock.js';
import type { FlowSource } from '../ports/flow-source.js';
import type { AcdService } from './acd-service.js';
import type { CallRecord, CallRecords } from './call-records.js';
import type { Emit } from './events.js';

export interface InboundDeps {
  clock: Clock;
  emit: Emit;
  logger: Logger;
  numbers: Readonly<Record<string, string>>;
  flows: FlowSource;
  calls: CallRecords;
  acd: AcdService;
  promptsDir: string;
}

export function handleInboundCall(deps: InboundDeps, leg: InboundCall): void {
  const callId = leg.callId;
  const log = deps.logger.child({ callId, sipCallId: leg.legId });
  const run = async (): Promise<void> => {
    const flowId = deps.numbers[leg.to];
    const flow = flowId ? deps.flows.get(flowId) : undefined;
    deps.emit({ type: 'call.offered', callId, from: leg.from, to: leg.to, ...(flow ? { flowId: flow.id, flowVersion: flow.version } : {}) });
    log.info({ from: leg.from, to: leg.to, source: leg.source, flowId }, 'inbound call');
    if (!flow) {
      await leg.reject(404, 'Not Found');
      deps.emit({ type: 'call.rejected', callId, sipStatus: 404, reason: flowId ? `flow "${flowId}" is not loaded` : 'unknown number' });
      log.info({ to: leg.to }, 'rejected: no flow for this number');
      return;
    }
    const rec: CallRecord = { callId, leg, from: leg.from, to: leg.to, offeredAtMs: deps.clock.nowMs(), stage: 'flow' };
    deps.calls.add(rec);
    leg.onHangup((ev) => {
      if (rec.stage === 'flow') {
        runner.stop();
        deps.calls.finish(callId, ev.by === 'remote' ? 'caller' : 'system', ev.cause);
      } else if (rec.stage === 'queued') {
        deps.acd
          .callerLeft(callId)
          .catch((err: unknown) => log.error({ err }, 'abandon handling failed'))
          .finally(() => deps.calls.finish(callId, 'caller', 'abandon'));
      }
      // 'talking': the ACD's bridge ends both legs and the call.
    });
    const runner = new FlowRunner(deps, flow, rec, log);
    leg.onDtmf((ev) => {
      if (rec.stage === 'flow') runner.input({ kind: 'digit', digit: ev.digit, source: ev.source });
    });
    await leg.answer();
    if (leg.ended) return;
    runner.start();
  };
  run().catch((err: unknown) => {
    log.error({ err }, 'inbound call failed');
    leg.hangup('internal-error').catch(() => undefined);
    deps.calls.finish(callId, 'system', 'internal-error');
  });
}

/** Carries out the interpreter's commands on a call leg and feeds results back in. */
class FlowRunner {
  private state: FlowState | undefined;
  private readonly timers = new Map<string, TimerHandle>();
  private stopped = false;

  constructor(
    private readonly deps: InboundDeps,
    private readonly flow: Flow,
    private readonly rec: CallRecord,
    private readonly log: Logger,
  ) {}

  start(): void {
    const { state, commands } = startFlow(this.flow, { callId: this.rec.callId, from: this.rec.from, to: this.rec.to, promptsDir: this.deps.promptsDir });
    this.state = state;
    this.execute(commands);
  }

  input(input: FlowInput): void {
    if (this.stopped || !this.state) return;
    const { state, commands } = stepFlow(this.flow, this.state, input);
    this.state = state;
    this.execute(commands);
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
  }

  private execute(commands: readonly FlowCommand[]): void {
    const { leg } = this.rec;
    for (const cmd of commands) {
      if (this.stopped) return;
      switch (cmd.kind) {
        case 'play':
          leg
            .play(cmd.files, { bargeIn: cmd.bargeIn })
            .then((outcome) => this.input({ kind: 'play-finished', playId: cmd.playId, outcome: outcome === 'hangup' ? 'stopped' : outcome }))
            .catch((err: unknown) => this.log.warn({ err, files: cmd.files }, 'playback failed'));
          break;
        case 'stop-play':
          leg.stopMedia();
          break;
        case 'start-timer': {
          this.timers.get(cmd.timerId)?.cancel();
          const handle = this.deps.clock.setTimer(cmd.ms, () => {
            this.timers.delete(cmd.timerId);
            this.input({ kind: 'timer', timerId: cmd.timerId });
          });
          this.timers.set(cmd.timerId, handle);
          break;
        }
        case 'cancel-timer':
          this.timers.get(cmd.timerId)?.cancel();
          this.timers.delete(cmd.timerId);
          break;
        case 'emit':
          this.deps.emit(cmd.event);
          break;
        case 'enqueue':
          this.stop();
          this.deps.acd.enqueue(this.rec.callId, cmd.queueId, cmd.priority).catch((err: unknown) => this.log.error({ err }, 'enqueue failed'));
          break;
        case 'hangup':
          this.stop();
          this.log.info({ cause: cmd.cause }, 'flow hangs up');
          leg.hangup(cmd.cause).catch((err: unknown) => this.log.warn({ err }, 'hang-up failed'));
          this.deps.calls.finish(this.rec.callId, 'system', cmd.cause);
          break;
      }
    }
  }
}

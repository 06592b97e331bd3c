/**
 * Queues at work, on real calls: hands callers to the ACD core (queue-engine.ts) and carries out what it
 * decides — ring agents' phones (CallControl.ring) and cancel them, bridge the winner, music and announcements
 * (queue-media.ts), callbacks (callback-calls.ts), leaving a queue for a flow node or a hang-up. Telephony
 * outcomes (answered, declined, failed, hang-ups, keys) go back to the core as inputs.
 */
import path from 'node:path';
import type { Logger } from 'pino';
import type { AgentConfig, QueueConfig, RoutingAttributes } from '../domain/acd/model.js';
import type { CallControl, CallLeg, RingAttempt, RingOutcome, TransferRequest } from '../ports/call-control.js';
import type { Clock } from '../ports/clock.js';
import type { Registrar } from '../ports/registrar.js';
import type { AcdStore } from '../ports/store.js';
import type { AgentService } from './agent-service.js';
import { CallbackCalls } from './callback-calls.js';
import type { CallRecords } from './call-records.js';
import type { Emit } from './events.js';
import type { FlowTransfers } from './flow-transfer.js';
import type { QueueEngine, TelephonyCommand } from './queue-engine.js';
import { QueueMedia } from './queue-media.js';
import { runPostCallSurvey } from './post-call-survey.js';

export interface AcdDeps {
  store: AcdStore;
  clock: Clock;
  emit: Emit;
  logger: Logger;
  callControl: CallControl;
  registrar: Registrar;
  agents: AgentService;
  agentConfigs: ReadonlyMap<string, AgentConfig>;
  queues: ReadonlyMap<string, QueueConfig>;
  calls: CallRecords;
  promptsDir: string;
  /** Resumes a call's IVR flow at a node (queue exits to a flow); without it such exits hang up. */
  exitToFlow?: (callId: string, node: string) => boolean;
  /** Rings a named agent for an agent's blind transfer to a colleague; without it only queues are targets. */
  agentTransfers?: FlowTransfers;
}

/** Where an agent's blind transfer (REFER) sends the caller: what the agent dialled, read as a queue or agent id. */
type TransferTarget = { kind: 'queue'; queueId: string } | { kind: 'agent'; agentId: string };

const key = (callId: string, agentId: string): string => `${callId}\u0000${agentId}`;

export class AcdService {
  private readonly engine: QueueEngine;
  private readonly media: QueueMedia;
  private readonly callbacks: CallbackCalls;
  private readonly rings = new Map<string, RingAttempt>();
  private readonly agentLegs = new Map<string, CallLeg>();
  private readonly keyed = new WeakSet<CallLeg>();
  private closed = false;

  constructor(private readonly deps: AcdDeps) {
    this.engine = deps.agents.engine;
    this.callbacks = new CallbackCalls({
      logger: deps.logger,
      callControl: deps.callControl,
      calls: deps.calls,
      engine: this.engine,
      onCallerHangup: (callId) => this.callerHungUp(callId),
    });
    this.media = new QueueMedia({
      logger: deps.logger,
      calls: deps.calls,
      promptsDir: deps.promptsDir,
      legOf: (callId) => this.callerLeg(callId),
      ...(deps.exitToFlow ? { exitToFlow: deps.exitToFlow } : {}),
    });
    this.engine.configure(deps.queues, typeof deps.callControl.dial === 'function', (cmd) => this.execute(cmd));
  }

  /** Puts an answered caller in a queue, with the flow's routing attributes (skills, caller class, language). */
  async enqueue(callId: string, queueId: string, priority: number, attrs?: RoutingAttributes): Promise<void> {
    const { deps } = this;
    const rec = deps.calls.get(callId);
    if (!rec) return;
    if (!deps.queues.has(queueId)) {
      deps.logger.error({ callId, queueId }, 'flow sent the call to an unknown queue');
      await rec.leg.hangup('unknown-queue');
      return;
    }
    rec.stage = 'queued';
    rec.queueId = queueId;
    if (attrs?.language) rec.language = attrs.language;
    rec.priority = priority;
    if (!this.keyed.has(rec.leg)) {
      this.keyed.add(rec.leg);
      rec.leg.onDtmf((ev) => {
        if (deps.calls.get(callId)?.stage === 'queued') this.engine.handle({ kind: 'caller-digit', callId, digit: ev.digit });
      });
    }
    this.engine.handle({ kind: 'caller-joins', callId, queueId, callerNumber: rec.from, priority, dialledNumber: rec.to, ...(attrs ? { attrs } : {}) });
    deps.logger.info({ callId, queueId, position: this.engine.acd.position(callId) }, 'caller queued');
    if (rec.leg.ended && rec.stage === 'queued') await this.callerLeft(callId);
  }

  /** The caller hung up while queued or ringing an agent: an abandon (the inbound-call handler finishes the call). */
  async callerLeft(callId: string): Promise<void> {
    this.media.forget(callId);
    this.engine.handle({ kind: 'caller-hangs-up', callId });
  }

  /** Kept for the walking skeleton's callers: the core routes on every input and deadline by itself. */
  dispatch(): void {
    if (!this.closed) this.engine.handle({ kind: 'tick' });
  }

  snapshotOffers(): Array<{ callId: string; agentId: string; ringingSec: number }> {
    const now = this.deps.clock.nowMs();
    return this.engine.acd.offers().map((o) => ({ callId: o.callId, agentId: o.agentId, ringingSec: (now - o.startedMs) / 1000 }));
  }

  /** Queue figures for the API: waiting callers, staffing and the EWT a new caller would be told. */
  queueStatus(queueId: string): { waiting: number; loggedIn: number; staffed: number; ewtSec?: number } | undefined {
    if (!this.deps.queues.has(queueId)) return undefined;
    const acd = this.engine.acd;
    const ewtSec = acd.ewtSec(queueId);
    return { waiting: acd.waiting(queueId).length, ...acd.staffing(queueId), ...(ewtSec !== undefined ? { ewtSec: Math.round(ewtSec) } : {}) };
  }

  close(): void {
    this.closed = true;
    for (const r of this.rings.values()) r.cancel();
    this.rings.clear();
    this.callbacks.close();
  }

  private callerLeg(callId: string): CallLeg | undefined {
    return this.callbacks.legOf(callId) ?? this.deps.calls.get(callId)?.leg;
  }

  private callerHungUp(callId: string): void {
    this.media.forget(callId);
    this.engine.handle({ kind: 'caller-hangs-up', callId });
    this.deps.calls.finish(callId, 'caller', 'abandon');
  }

  private execute(cmd: TelephonyCommand): void {
    if (this.closed) return; // shutting down: no new rings, plays or dials
    switch (cmd.kind) {
      case 'ring':
        return this.ring(cmd.callId, cmd.agentId, cmd.callerNumber);
      case 'cancel-ring':
        this.rings.get(key(cmd.callId, cmd.agentId))?.cancel();
        return;
      case 'drop-agent-leg': {
        const leg = this.agentLegs.get(key(cmd.callId, cmd.agentId));
        this.agentLegs.delete(key(cmd.callId, cmd.agentId));
        leg?.hangup('caller-gone').catch(() => undefined);
        return;
      }
      case 'bridge':
        return this.bridge(cmd.callId, cmd.agentId, cmd.queueId);
      case 'moh':
        return this.media.music(cmd.callId, cmd.file);
      case 'play':
        return this.media.announce(cmd.callId, cmd.files);
      case 'leave':
        return this.media.leave(cmd.callId, cmd.how, cmd.files, { ...(cmd.cause ? { cause: cmd.cause } : {}), ...(cmd.node ? { node: cmd.node } : {}) });
      case 'dial':
        return this.callbacks.dial(cmd.callId, cmd.number, cmd.trunk, cmd.fromNumber);
      case 'cancel-dial':
        return this.callbacks.cancel(cmd.callId);
      case 'end-call':
        this.deps.calls.finish(cmd.callId, 'system', cmd.cause);
        return;
    }
  }

  private ring(callId: string, agentId: string, callerNumber: string): void {
    const { deps } = this;
    const contact = deps.registrar.contactOf(agentId);
    if (!contact) {
      this.engine.handle({ kind: 'ring-failed', callId, agentId, outcome: 'failed', reason: 'not registered' });
      return;
    }
    deps.logger.info({ callId, agentId }, 'offering call to agent');
    const attempt = deps.callControl.ring({ callId, agentId, contact, callerNumber });
    const k = key(callId, agentId);
    this.rings.set(k, attempt);
    attempt.onRinging(() => this.engine.handle({ kind: 'ring-alerting', callId, agentId }));
    attempt.outcome
      .then((o) => this.ringOutcome(callId, agentId, attempt, o))
      .catch((err: unknown) => deps.logger.error({ err, callId, agentId }, 'offer outcome handling failed'));
  }

  private ringOutcome(callId: string, agentId: string, attempt: RingAttempt, o: RingOutcome): void {
    const k = key(callId, agentId);
    if (this.rings.get(k) === attempt) this.rings.delete(k);
    if (o.kind === 'answered') {
      this.agentLegs.set(k, o.leg);
      this.engine.handle({ kind: 'ring-answered', callId, agentId });
      return;
    }
    if (o.kind === 'cancelled') {
      this.engine.handle({ kind: 'ring-failed', callId, agentId, outcome: 'cancelled' });
      return;
    }
    this.deps.logger.info({ callId, agentId, sipStatus: o.sipStatus, outcome: o.kind }, 'agent did not take the call');
    this.engine.handle({
      kind: 'ring-failed',
      callId,
      agentId,
      outcome: o.kind,
      ...(o.sipStatus !== undefined ? { sipStatus: o.sipStatus } : {}),
      reason: o.kind === 'declined' ? 'declined' : o.reason,
    });
  }

  private bridge(callId: string, agentId: string, queueId: string): void {
    const { deps } = this;
    const k = key(callId, agentId);
    const agentLeg = this.agentLegs.get(k);
    this.agentLegs.delete(k);
    const rec = deps.calls.get(callId);
    const callerLeg = this.callerLeg(callId);
    this.media.forget(callId);
    if (!agentLeg) return;
    if (!rec || !callerLeg || callerLeg.ended) {
      // The caller left as the agent answered: free the agent at once.
      agentLeg.hangup('caller-gone').catch(() => undefined);
      this.engine.handle({ kind: 'call-ended', callId, agentId });
      return;
    }
    rec.stage = 'talking';
    rec.agentId = agentId;
    rec.queueId = queueId;
    rec.answeredAtMs = deps.clock.nowMs();
    deps.logger.info({ callId, agentId, queueId }, 'agent answered; bridging');
    let ended = false;
    const survey = deps.queues.get(queueId)?.survey;
    const end = (by: 'caller' | 'agent', other: CallLeg): void => {
      if (ended) return;
      ended = true;
      deps.calls.finish(callId, by, 'normal');
      this.engine.handle({ kind: 'call-ended', callId, agentId });
      if (by === 'agent' && survey && !other.ended && !this.closed) {
        // The caller stays on the line for the satisfaction survey; the call itself (talk time) ended now.
        const language = rec.language ?? deps.queues.get(queueId)?.language ?? 'zh';
        runPostCallSurvey({ clock: deps.clock, emit: deps.emit, logger: deps.logger, promptsDir: deps.promptsDir }, other, { callId, queueId, agentId, language, survey })
          .catch((err: unknown) => {
            deps.logger.error({ err, callId }, 'post-call survey failed');
            other.hangup('survey-error').catch(() => undefined);
          });
        return;
      }
      other.hangup('normal').catch((err: unknown) => deps.logger.warn({ err, callId }, 'hang-up of the other leg failed'));
    };
    agentLeg.onTransferRequest?.((req) => {
      if (ended) {
        req.done({ ok: false, sipStatus: 481 });
        return;
      }
      // Once the transfer is taken the agent is done with the call: its legs' hang-ups no longer end the call.
      ended = true;
      if (!this.agentTransfer(req, { callId, agentId, queueId, agentLeg, callerLeg })) ended = false;
    });
    agentLeg.onHangup(() => end('agent', callerLeg));
    callerLeg.onHangup(() => end('caller', agentLeg));
    if (agentLeg.ended) end('agent', callerLeg);
    else if (callerLeg.ended) end('caller', agentLeg);
    else deps.callControl.bridge(callerLeg, agentLeg).catch((err: unknown) => deps.logger.error({ err, callId }, 'bridge failed'));
  }

  /**
   * An agent's phone transferred the call (blind REFER) to a queue or to a colleague: the agent's part ends
   * (agent.transferred, wrap-up), its leg is hung up, and the caller goes on — queued in the target queue with
   * the priority it had, or rung at the colleague's phone (back in its own queue if that fails). False (the phone
   * is told why) when the target is unknown, is the agent itself, or the call cannot move (a callback leg).
   */
  private agentTransfer(req: TransferRequest, call: { callId: string; agentId: string; queueId: string; agentLeg: CallLeg; callerLeg: CallLeg }): boolean {
    const { deps } = this;
    const { callId, agentId, queueId, agentLeg, callerLeg } = call;
    const log = deps.logger.child({ callId, agentId });
    const rec = deps.calls.get(callId);
    const target = this.transferTarget(req.target);
    const refuse = (sipStatus: number, why: string): false => {
      log.info({ target: req.target, sipStatus }, `transfer refused: ${why}`);
      req.done({ ok: false, sipStatus });
      return false;
    };
    if (!rec || rec.leg !== callerLeg || callerLeg.ended) return refuse(603, 'this call cannot be moved (callback leg or caller gone)');
    if (!target) return refuse(404, 'no queue or agent by that name');
    if (target.kind === 'agent' && target.agentId === agentId) return refuse(482, 'an agent cannot transfer a call to itself');
    if (target.kind === 'agent' && !deps.agentTransfers) return refuse(501, 'transfers to agents are not configured');
    const now = deps.clock.nowMs();
    deps.emit({ type: 'agent.transferred', callId, queueId, agentId, kind: 'blind', target: req.target, talkMs: now - (rec.answeredAtMs ?? now) });
    log.info({ target: req.target, to: target }, 'agent transferred the call');
    req.done({ ok: true });
    this.engine.handle({ kind: 'call-ended', callId, agentId });
    agentLeg.hangup('transferred').catch(() => undefined);
    rec.stage = 'flow';
    delete rec.agentId;
    delete rec.answeredAtMs;
    const attrs = rec.language ? { language: rec.language } : undefined;
    const requeue = (to: string): void => {
      this.enqueue(callId, to, rec.priority ?? 0, attrs).catch((err: unknown) => log.error({ err }, 'transfer to a queue failed'));
    };
    if (target.kind === 'queue') {
      requeue(target.queueId);
      return true;
    }
    const moh = deps.queues.get(queueId)?.musicOnHold;
    if (moh) callerLeg.startMusicOnHold(path.resolve(deps.promptsDir, moh)); // until the colleague answers
    const handle = (deps.agentTransfers as FlowTransfers).start({ rec, target: { kind: 'agent', agentId: target.agentId }, ringTimeoutMs: (deps.queues.get(queueId)?.ringTimeoutSec ?? 15) * 1000, log });
    handle.outcome
      .then((o) => {
        if (o.outcome === 'connected' || callerLeg.ended) return;
        log.info({ to: target.agentId, reason: o.reason }, 'transfer to an agent failed: back to the queue');
        requeue(queueId);
      })
      .catch((err: unknown) => log.error({ err }, 'transfer to an agent failed'));
    return true;
  }

  private transferTarget(dialled: string): TransferTarget | undefined {
    if (this.deps.queues.has(dialled)) return { kind: 'queue', queueId: dialled };
    if (this.deps.agentConfigs.has(dialled)) return { kind: 'agent', agentId: dialled };
    return undefined;
  }
}

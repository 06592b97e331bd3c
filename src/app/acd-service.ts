/**
 * Queues at work: callers join, wait on music on hold, are offered to agents (one ring at a time per agent,
 * atomically reserved through the store), bridged on answer; RONA and declines move on to the next agent;
 * a caller who hangs up while waiting or ringing is an abandon.
 */
import path from 'node:path';
import type { Logger } from 'pino';
import type { AgentConfig, QueueConfig, QueueEntry } from '../domain/acd/model.js';
import { planMatches, type Match } from '../domain/acd/router.js';
import type { CallControl, CallLeg, RingAttempt, RingOutcome } from '../ports/call-control.js';
import type { Clock, TimerHandle } from '../ports/clock.js';
import type { Registrar } from '../ports/registrar.js';
import type { AcdStore } from '../ports/store.js';
import type { AgentService } from './agent-service.js';
import type { CallRecords } from './call-records.js';
import type { Emit } from './events.js';

interface LiveOffer {
  callId: string;
  queueId: string;
  agentId: string;
  attempt: RingAttempt;
  startedMs: number;
  ronaTimer: TimerHandle;
  /** Why we cancelled it, if we did. */
  cancelReason?: 'rona' | 'abandon' | 'shutdown';
}

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
}

export class AcdService {
  private readonly offers = new Map<string, LiveOffer>();
  private dispatching = false;
  private dispatchAgain = false;
  private closed = false;

  constructor(private readonly deps: AcdDeps) {}

  /** Puts an answered caller in a queue. */
  async enqueue(callId: string, queueId: string, priority: number): Promise<void> {
    const { deps } = this;
    const rec = deps.calls.get(callId);
    const queue = deps.queues.get(queueId);
    if (!rec) return;
    if (!queue) {
      deps.logger.error({ callId, queueId }, 'flow sent the call to an unknown queue');
      await rec.leg.hangup('unknown-queue');
      return;
    }
    const joinedAtMs = deps.clock.nowMs();
    // Set before the first await: a hang-up from here on is an abandon from this queue.
    rec.stage = 'queued';
    rec.queueId = queueId;
    const entry: QueueEntry = { callId, queueId, callerNumber: rec.from, priority, joinedAtMs, excludedAgents: [], offerAttempts: 0 };
    const position = await deps.store.enqueueCaller(entry);
    deps.emit({ type: 'queue.joined', callId, queueId, position, priority });
    if (rec.leg.ended) {
      await this.callerLeft(callId);
      return;
    }
    deps.logger.info({ callId, queueId, position }, 'caller queued');
    rec.leg.startMusicOnHold(path.resolve(deps.promptsDir, queue.musicOnHold));
    this.dispatch();
  }

  /** The caller hung up while queued or ringing an agent: an abandon. */
  async callerLeft(callId: string): Promise<void> {
    const { deps } = this;
    const entry = await deps.store.dequeueCaller(callId);
    if (!entry) return;
    const offer = this.offers.get(callId);
    if (offer) {
      offer.cancelReason = 'abandon';
      offer.ronaTimer.cancel();
      offer.attempt.cancel();
    }
    const waiting = await deps.store.listWaiting(entry.queueId);
    const ahead = waiting.filter((c) => c.priority > entry.priority || (c.priority === entry.priority && c.joinedAtMs < entry.joinedAtMs)).length;
    deps.emit({
      type: 'call.abandoned',
      callId,
      queueId: entry.queueId,
      waitMs: deps.clock.nowMs() - entry.joinedAtMs,
      whileRinging: offer !== undefined,
      position: ahead + 1,
    });
    deps.logger.info({ callId, queueId: entry.queueId, whileRinging: offer !== undefined }, 'caller abandoned');
  }

  /** Routes waiting callers to free agents. Runs one pass at a time; a request during a pass runs another. */
  dispatch(): void {
    if (this.closed) return;
    if (this.dispatching) {
      this.dispatchAgain = true;
      return;
    }
    this.dispatching = true;
    this.dispatchPass()
      .catch((err: unknown) => this.deps.logger.error({ err }, 'dispatch failed'))
      .finally(() => {
        this.dispatching = false;
        if (this.dispatchAgain) {
          this.dispatchAgain = false;
          this.dispatch();
        }
      });
  }

  snapshotOffers(): Array<{ callId: string; agentId: string; ringingSec: number }> {
    const now = this.deps.clock.nowMs();
    return [...this.offers.values()].map((o) => ({ callId: o.callId, agentId: o.agentId, ringingSec: (now - o.startedMs) / 1000 }));
  }

  close(): void {
    this.closed = true;
    for (const o of this.offers.values()) {
      o.cancelReason = 'shutdown';
      o.ronaTimer.cancel();
      o.attempt.cancel();
    }
  }

  private async dispatchPass(): Promise<void> {
    const { store } = this.deps;
    const [waiting, agents] = await Promise.all([store.listWaiting(), store.listAgents()]);
    const registered = agents.map((a) => ({ ...a, registered: a.registered && this.deps.registrar.contactOf(a.id) !== undefined }));
    for (const match of planMatches(waiting, registered, this.deps.agentConfigs, this.deps.queues)) {
      const before = agents.find((a) => a.id === match.agentId)?.state;
      const reserved = await store.reserveAgent(match.agentId, match.callId, this.deps.clock.nowMs());
      if (!reserved || !before) continue; // lost a race (another pass or instance); the next pass sees the truth
      this.deps.agents.noteChange(before, reserved);
      await this.offer(match);
    }
  }

  private async offer(match: Match): Promise<void> {
    const { deps } = this;
    const { callId, agentId, queueId } = match;
    const rec = deps.calls.get(callId);
    const contact = deps.registrar.contactOf(agentId);
    const queue = deps.queues.get(queueId);
    const entry = await deps.store.getCaller(callId);
    if (!rec || !contact || !queue || !entry || rec.leg.ended) {
      await deps.store.releaseCaller(callId);
      await deps.agents.apply(agentId, { kind: 'release' });
      return;
    }
    deps.emit({ type: 'agent.offered', callId, queueId, agentId, attempt: entry.offerAttempts });
    deps.logger.info({ callId, agentId, queueId, attempt: entry.offerAttempts }, 'offering call to agent');
    const attempt = deps.callControl.ring({ callId, agentId, contact, callerNumber: rec.from });
    const startedMs = deps.clock.nowMs();
    const live: LiveOffer = {
      callId,
      queueId,
      agentId,
      attempt,
      startedMs,
      ronaTimer: deps.clock.setTimer(queue.ringTimeoutSec * 1000, () => {
        live.cancelReason = 'rona';
        attempt.cancel();
      }),
    };
    this.offers.set(callId, live);
    attempt.onRinging(() => deps.emit({ type: 'agent.ringing', callId, agentId }));
    await deps.agents.apply(agentId, { kind: 'ring' });
    attempt.outcome
      .then((outcome) => this.settle(live, outcome))
      .catch((err: unknown) => deps.logger.error({ err, callId, agentId }, 'offer outcome handling failed'));
  }

  private async settle(offer: LiveOffer, outcome: RingOutcome): Promise<void> {
    const { deps } = this;
    const { callId, agentId, queueId } = offer;
    offer.ronaTimer.cancel();
    this.offers.delete(callId);
    const ringMs = deps.clock.nowMs() - offer.startedMs;
    if (outcome.kind === 'answered') {
      await this.answered(offer, outcome.leg, ringMs);
    } else if (outcome.kind === 'cancelled' && offer.cancelReason === 'rona') {
      deps.emit({ type: 'agent.rona', callId, queueId, agentId, ringMs });
      deps.logger.info({ callId, agentId, ringMs }, 'RONA: agent did not answer');
      await deps.agents.apply(agentId, { kind: 'rona' });
      await deps.store.releaseCaller(callId);
    } else if (outcome.kind === 'cancelled') {
      await deps.agents.apply(agentId, { kind: 'cancelled' });
    } else {
      const sipStatus = outcome.sipStatus;
      const reason = outcome.kind === 'declined' ? 'declined' : outcome.reason;
      deps.emit({ type: 'agent.declined', callId, queueId, agentId, ...(sipStatus !== undefined ? { sipStatus } : {}), reason });
      deps.logger.info({ callId, agentId, sipStatus, reason }, 'agent did not take the call');
      await deps.agents.apply(agentId, { kind: 'declined' });
      await deps.store.releaseCaller(callId, agentId);
    }
    this.dispatch();
  }

  private async answered(offer: LiveOffer, agentLeg: CallLeg, ringMs: number): Promise<void> {
    const { deps } = this;
    const { callId, agentId, queueId } = offer;
    const rec = deps.calls.get(callId);
    const entry = await deps.store.dequeueCaller(callId);
    if (!rec || !entry || rec.leg.ended) {
      // The caller left as the agent answered: release the agent at once.
      await agentLeg.hangup('caller-gone');
      await deps.agents.apply(agentId, { kind: 'cancelled' });
      return;
    }
    const now = deps.clock.nowMs();
    rec.stage = 'talking';
    rec.agentId = agentId;
    rec.answeredAtMs = now;
    await deps.agents.apply(agentId, { kind: 'answer' });
    deps.emit({ type: 'call.answered', callId, queueId, agentId, waitMs: now - entry.joinedAtMs, ringMs });
    deps.logger.info({ callId, agentId, queueId, waitMs: now - entry.joinedAtMs }, 'agent answered; bridging');
    const wrapupMs = (deps.queues.get(queueId)?.wrapupSec ?? 0) * 1000;
    let ended = false;
    const end = (by: 'caller' | 'agent', other: CallLeg): void => {
      if (ended) return;
      ended = true;
      deps.calls.finish(callId, by, 'normal');
      other.hangup('normal').catch((err: unknown) => deps.logger.warn({ err, callId }, 'hang-up of the other leg failed'));
      deps.agents.callEnded(agentId, callId, wrapupMs).catch((err: unknown) => deps.logger.error({ err, callId, agentId }, 'wrap-up failed'));
    };
    agentLeg.onHangup(() => end('agent', rec.leg));
    rec.leg.onHangup(() => end('caller', agentLeg));
    if (agentLeg.ended) end('agent', rec.leg);
    else if (rec.leg.ended) end('caller', agentLeg);
    else await deps.callControl.bridge(rec.leg, agentLeg);
  }
}

/**
 * Transfers of flow `transfer` nodes to an agent: the agent must be available with a registered phone; it is
 * reserved through the agent state table (so the ACD cannot offer it another call meanwhile), rung with
 * CallControl.ring and bridged on answer, exactly as the ACD does for queued calls. External numbers come only
 * from the flow's allow-list, and are rung through the SIP trunk of config (`trunk:` in hotline.yaml: the PBX or
 * carrier gateway); without a trunk they fail with reason `unsupported`, which the flow's onFail handles.
 */
import type { Logger } from 'pino';
import type { TransferTargetCommand } from '../domain/flow/commands.js';
import type { CallControl, CallLeg, RingAttempt, RingOutcome } from '../ports/call-control.js';
import type { Clock } from '../ports/clock.js';
import type { Registrar } from '../ports/registrar.js';
import type { AcdStore } from '../ports/store.js';
import type { AgentService } from './agent-service.js';
import type { CallRecord, CallRecords } from './call-records.js';

export type TransferOutcome = { outcome: 'connected' } | { outcome: 'failed'; reason: 'unavailable' | 'busy' | 'no-answer' | 'declined' | 'unsupported' | 'caller-gone' | 'cancelled' | 'error' };

export interface TransferRequest {
  readonly rec: CallRecord;
  readonly target: TransferTargetCommand;
  readonly ringTimeoutMs: number;
  readonly log: Logger;
}

export interface TransferHandle {
  readonly outcome: Promise<TransferOutcome>;
  /** Gives up (the caller hung up, or the flow moved on): cancels the ring and frees the agent. */
  cancel(): void;
}

export interface FlowTransfers {
  start(req: TransferRequest): TransferHandle;
}

/** The outbound SIP gateway external numbers are sent to (Request-URI sip:<number>@host:port). */
export interface SipTrunk {
  host: string;
  port: number;
  transport: 'udp' | 'tcp';
}

export interface AgentTransferDeps {
  clock: Clock;
  store: AcdStore;
  registrar: Registrar;
  agents: AgentService;
  callControl: CallControl;
  calls: CallRecords;
  /** After-call work of a transferred call before the agent is offered the next one. */
  wrapupMs?: number;
  /** Where external numbers are rung; without it external transfers are unsupported. */
  trunk?: SipTrunk;
}

export class AgentTransfers implements FlowTransfers {
  constructor(private readonly deps: AgentTransferDeps) {}

  start(req: TransferRequest): TransferHandle {
    let cancelled = false;
    let cancelRing: (() => void) | undefined;
    const outcome = this.run(req, () => cancelled, (fn) => (cancelRing = fn)).catch((err: unknown): TransferOutcome => {
      req.log.error({ err }, 'transfer failed');
      return { outcome: 'failed', reason: 'error' };
    });
    return {
      outcome,
      cancel: () => {
        cancelled = true;
        cancelRing?.();
      },
    };
  }

  private async run(req: TransferRequest, isCancelled: () => boolean, onRing: (cancel: () => void) => void): Promise<TransferOutcome> {
    const { deps } = this;
    const { rec, target, log } = req;
    if (target.kind === 'external') return this.runExternal(req, target, isCancelled, onRing);
    const { agentId } = target;
    const agent = await deps.store.getAgent(agentId);
    const contact = deps.registrar.contactOf(agentId);
    if (!agent || !contact || !agent.registered) return { outcome: 'failed', reason: 'unavailable' };
    if (agent.state.name !== 'available') return { outcome: 'failed', reason: 'busy' };
    if (isCancelled() || rec.leg.ended) return { outcome: 'failed', reason: 'caller-gone' };
    // The same compare-and-set the ACD relies on: a concurrent offer to this agent makes one of us lose.
    const reserved = await deps.agents.apply(agentId, { kind: 'reserve', callId: rec.callId });
    if (!reserved.ok) return { outcome: 'failed', reason: 'busy' };
    if (isCancelled() || rec.leg.ended) {
      await deps.agents.apply(agentId, { kind: 'release' });
      return { outcome: 'failed', reason: 'caller-gone' };
    }
    log.info({ agentId }, 'transferring call to agent');
    const attempt = deps.callControl.ring({ callId: rec.callId, agentId, contact, callerNumber: rec.from });
    await deps.agents.apply(agentId, { kind: 'ring' });
    const { ring, timedOut } = await this.awaitRing(attempt, req.ringTimeoutMs, onRing);
    if (ring.kind !== 'answered') {
      await deps.agents.apply(agentId, { kind: ring.kind === 'cancelled' ? 'cancelled' : 'declined' });
      if (ring.kind === 'cancelled') return { outcome: 'failed', reason: timedOut ? 'no-answer' : isCancelled() ? 'cancelled' : 'caller-gone' };
      return { outcome: 'failed', reason: 'declined' };
    }
    if (isCancelled() || rec.leg.ended) {
      await ring.leg.hangup('caller-gone');
      await deps.agents.apply(agentId, { kind: 'cancelled' });
      return { outcome: 'failed', reason: 'caller-gone' };
    }
    await this.connect(rec, agentId, ring.leg, log);
    return { outcome: 'connected' };
  }

  /** Waits for a ring's outcome, cancelling it after `ringTimeoutMs` or when the transfer is given up. */
  private async awaitRing(attempt: RingAttempt, ringTimeoutMs: number, onRing: (cancel: () => void) => void): Promise<{ ring: RingOutcome; timedOut: boolean }> {
    let timedOut = false;
    const timer = this.deps.clock.setTimer(ringTimeoutMs, () => {
      timedOut = true;
      attempt.cancel();
    });
    onRing(() => attempt.cancel());
    try {
      return { ring: await attempt.outcome, timedOut };
    } finally {
      timer.cancel();
    }
  }

  /** An allow-listed number through the trunk: ring, bridge on answer; no agent state is involved. */
  private async runExternal(
    req: TransferRequest,
    target: { name: string; number: string },
    isCancelled: () => boolean,
    onRing: (cancel: () => void) => void,
  ): Promise<TransferOutcome> {
    const { deps } = this;
    const { rec, log } = req;
    const trunk = deps.trunk;
    if (!trunk) {
      log.warn({ name: target.name }, 'transfer to an external number needs a trunk (hotline.yaml `trunk:`)');
      return { outcome: 'failed', reason: 'unsupported' };
    }
    if (isCancelled() || rec.leg.ended) return { outcome: 'failed', reason: 'caller-gone' };
    const uri = `sip:${target.number}@${trunk.host}:${trunk.port}`;
    log.info({ name: target.name, trunk: `${trunk.host}:${trunk.port}` }, 'transferring call to an external number');
    const attempt = deps.callControl.ring({
      callId: rec.callId,
      agentId: `external:${target.name}`,
      contact: { aor: uri, contactUri: uri, transport: trunk.transport, sourceHost: trunk.host, sourcePort: trunk.port, expiresAtMs: Number.MAX_SAFE_INTEGER },
      callerNumber: rec.from,
    });
    const { ring, timedOut } = await this.awaitRing(attempt, req.ringTimeoutMs, onRing);
    if (ring.kind === 'cancelled') return { outcome: 'failed', reason: timedOut ? 'no-answer' : isCancelled() ? 'cancelled' : 'caller-gone' };
    if (ring.kind === 'declined') return { outcome: 'failed', reason: 'declined' };
    if (ring.kind === 'failed') return { outcome: 'failed', reason: 'unavailable' };
    if (isCancelled() || rec.leg.ended) {
      await ring.leg.hangup('caller-gone');
      return { outcome: 'failed', reason: 'caller-gone' };
    }
    rec.stage = 'talking';
    rec.answeredAtMs = deps.clock.nowMs();
    let ended = false;
    const end = (by: 'caller' | 'agent', other: CallLeg): void => {
      if (ended) return;
      ended = true;
      // The far party stands where an agent would: `agent` in call.ended means the far end hung up.
      deps.calls.finish(rec.callId, by, 'normal');
      other.hangup('normal').catch((err: unknown) => log.warn({ err }, 'hang-up of the other leg failed'));
    };
    const far = ring.leg;
    far.onHangup(() => end('agent', rec.leg));
    rec.leg.onHangup(() => end('caller', far));
    if (far.ended) end('agent', rec.leg);
    else if (rec.leg.ended) end('caller', far);
    else await deps.callControl.bridge(rec.leg, far);
    return { outcome: 'connected' };
  }

  /** Bridges caller and agent; whoever hangs up first ends the call and starts the agent's wrap-up. */
  private async connect(rec: CallRecord, agentId: string, agentLeg: CallLeg, log: Logger): Promise<void> {
    const { deps } = this;
    rec.stage = 'talking';
    rec.agentId = agentId;
    rec.answeredAtMs = deps.clock.nowMs();
    await deps.agents.apply(agentId, { kind: 'answer' });
    let ended = false;
    const end = (by: 'caller' | 'agent', other: CallLeg): void => {
      if (ended) return;
      ended = true;
      deps.calls.finish(rec.callId, by, 'normal');
      other.hangup('normal').catch((err: unknown) => log.warn({ err }, 'hang-up of the other leg failed'));
      deps.agents.callEnded(agentId, rec.callId, deps.wrapupMs ?? 0).catch((err: unknown) => log.error({ err, agentId }, 'wrap-up failed'));
    };
    agentLeg.onHangup(() => end('agent', rec.leg));
    rec.leg.onHangup(() => end('caller', agentLeg));
    if (agentLeg.ended) end('agent', rec.leg);
    else if (rec.leg.ended) end('caller', agentLeg);
    else await deps.callControl.bridge(rec.leg, agentLeg);
  }
}

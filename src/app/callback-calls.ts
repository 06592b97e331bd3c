/**
 * Calling virtual-hold callers back: dials the caller's own number through the queue's trunk (CallControl.dial),
 * reports the outcome to the ACD core, and keeps the answered leg as the caller's leg from then on (music,
 * keys, hang-up = abandon, bridge to the reserved agent).
 */
import type { Logger } from 'pino';
import type { DialTrunk } from '../domain/acd/model.js';
import type { CallControl, CallLeg, RingAttempt } from '../ports/call-control.js';
import type { CallRecords } from './call-records.js';
import type { QueueEngine } from './queue-engine.js';

export interface CallbackCallsDeps {
  logger: Logger;
  callControl: CallControl;
  calls: CallRecords;
  engine: QueueEngine;
  /** The caller hung up the callback leg while still queued. */
  onCallerHangup(callId: string): void;
}

export class CallbackCalls {
  private readonly dials = new Map<string, RingAttempt>();
  private readonly legs = new Map<string, CallLeg>();

  constructor(private readonly deps: CallbackCallsDeps) {}

  legOf(callId: string): CallLeg | undefined {
    return this.legs.get(callId);
  }

  dial(callId: string, number: string, trunk: DialTrunk, fromNumber: string | undefined): void {
    const { callControl, engine, logger } = this.deps;
    const log = logger.child({ callId });
    if (!callControl.dial) {
      engine.handle({ kind: 'callback-failed', callId, outcome: 'failed' });
      return;
    }
    const uri = `sip:${number}@${trunk.host}:${trunk.port}${trunk.transport === 'tcp' ? ';transport=tcp' : ''}`;
    log.info({ number, trunk: `${trunk.host}:${trunk.port}/${trunk.transport}` }, 'calling the caller back');
    const attempt = callControl.dial({ callId, target: { uri, host: trunk.host, port: trunk.port, transport: trunk.transport }, fromNumber: fromNumber ?? 'hotline' });
    this.dials.set(callId, attempt);
    attempt.outcome
      .then((o) => {
        if (this.dials.get(callId) === attempt) this.dials.delete(callId);
        if (o.kind === 'answered') this.answered(callId, o.leg);
        else if (o.kind === 'declined') engine.handle({ kind: 'callback-failed', callId, outcome: 'busy' });
        else if (o.kind === 'failed') {
          log.info({ sipStatus: o.sipStatus, reason: o.reason }, 'callback failed');
          engine.handle({ kind: 'callback-failed', callId, outcome: o.sipStatus === 408 || o.sipStatus === 480 ? 'no-answer' : 'failed' });
        }
        // cancelled: we gave up (dial timeout, shutdown); the core already knows.
      })
      .catch((err: unknown) => log.error({ err }, 'callback outcome handling failed'));
  }

  cancel(callId: string): void {
    this.dials.get(callId)?.cancel();
    this.dials.delete(callId);
  }

  close(): void {
    for (const d of this.dials.values()) d.cancel();
    this.dials.clear();
    this.legs.clear();
  }

  private answered(callId: string, leg: CallLeg): void {
    const rec = this.deps.calls.get(callId);
    if (!rec || rec.stage !== 'callback') {
      void leg.hangup('callback-stale').catch(() => undefined);
      return;
    }
    this.legs.set(callId, leg);
    rec.stage = 'queued';
    leg.onHangup(() => {
      this.legs.delete(callId);
      if (this.deps.calls.get(callId)?.stage === 'queued') this.deps.onCallerHangup(callId);
    });
    leg.onDtmf((ev) => {
      if (this.deps.calls.get(callId)?.stage === 'queued') this.deps.engine.handle({ kind: 'caller-digit', callId, digit: ev.digit });
    });
    this.deps.engine.handle({ kind: 'callback-answered', callId });
  }
}

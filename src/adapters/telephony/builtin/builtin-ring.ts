/**
 * Ringing an agent's phone (UAC side, RFC 3261 §13.2): INVITE with our SDP offer to the phone's registered
 * flow, 180/183 → ringing, 2xx → ACK and an answered leg, failures and timeouts → an outcome; cancel()
 * sends CANCEL only once a provisional response is in (§9.1), and a 2xx that crosses our CANCEL is ACKed
 * and then ended with BYE (§15) — the outcome stays "cancelled".
 *
 *   starting --sessionReady--> calling --1xx--> proceeding --2xx--> done (answered)
 *      |                         |   \            |   \
 *      | cancel                  |    cancel      |    cancel: CANCEL
 *      v                         v       v        v
 *    done               (3xx-6xx, timeout)   cancelWaiting --1xx: CANCEL--> cancelling
 *                         → done              (no CANCEL yet)              | final, 2xx (ACK+BYE), give-up
 *                                                                          v
 *                                                                         done
 */
import type { Logger } from 'pino';
import { RingSettlement } from '../ring-settlement.js';
import type { RingAttempt, RingOutcome, RingRequest } from '../../../ports/call-control.js';
import type { TimerHandle } from '../../../ports/clock.js';
import { SDP, SipLeg, type LegContext } from './builtin-leg.js';
import type { LocalMedia } from './media/media-engine.js';
import { Dialog } from './sip/dialog.js';
import { SipHeaders } from './sip/headers.js';
import { cseqOf, randomToken, tagOf, type SipRequest, type SipResponse } from './sip/message.js';
import { ALLOWED_METHODS } from './sip/sip-stack.js';
import { guarded } from './sip/timers.js';
import type { ClientTransaction } from './sip/transaction/client-transaction.js';
import { lookup, type Table } from './sip/transaction/tables.js';
import type { PeerAddress } from './sip/transport/sip-transport.js';
import { escapeUser, formatNameAddr } from './sip/uri.js';

type RingState = 'starting' | 'calling' | 'proceeding' | 'cancelWaiting' | 'cancelling' | 'done';
type RingEvent =
  | 'sessionReady'
  | 'sessionFailed'
  | '1xx'
  | '2xx'
  | '3xx-6xx'
  | 'timeout'
  | 'transportError'
  | 'cancel'
  | 'cancelGiveUp';
type RingAction =
  | 'sendInvite'
  | 'emitRinging'
  | 'acceptAnswer'
  | 'settleByStatus'
  | 'settleTimeout'
  | 'settleTransportError'
  | 'settleMediaFailed'
  | 'settleCancelled'
  | 'sendCancel'
  | 'startGiveUp'
  | 'stopGiveUp'
  | 'abortInvite'
  | 'ackAndBye'
  | 'late2xx'
  | 'release';

export const RING_TABLE: Table<RingState, RingEvent, RingAction> = {
  starting: {
    sessionReady: { next: 'calling', actions: ['sendInvite'] },
    sessionFailed: { next: 'done', actions: ['settleMediaFailed'] },
    cancel: { next: 'done', actions: ['settleCancelled'] },
  },
  calling: {
    '1xx': { next: 'proceeding', actions: ['emitRinging'] },
    '2xx': { next: 'done', actions: ['acceptAnswer'] },
    '3xx-6xx': { next: 'done', actions: ['settleByStatus', 'release'] },
    timeout: { next: 'done', actions: ['settleTimeout', 'release'] },
    transportError: { next: 'done', actions: ['settleTransportError', 'release'] },
    cancel: { next: 'cancelWaiting', actions: ['settleCancelled'] },
  },
  proceeding: {
    '1xx': { next: 'proceeding', actions: ['emitRinging'] },
    '2xx': { next: 'done', actions: ['acceptAnswer'] },
    '3xx-6xx': { next: 'done', actions: ['settleByStatus', 'release'] },
    transportError: { next: 'done', actions: ['settleTransportError', 'release'] },
    cancel: { next: 'cancelling', actions: ['settleCancelled', 'sendCancel', 'startGiveUp'] },
  },
  cancelWaiting: {
    '1xx': { next: 'cancelling', actions: ['sendCancel', 'startGiveUp'] },
    '2xx': { next: 'done', actions: ['ackAndBye', 'release'] },
    '3xx-6xx': { next: 'done', actions: ['release'] },
    timeout: { next: 'done', actions: ['release'] },
    transportError: { next: 'done', actions: ['release'] },
    cancel: { next: 'cancelWaiting', actions: [] },
  },
  cancelling: {
    '1xx': { next: 'cancelling', actions: [] },
    '2xx': { next: 'done', actions: ['stopGiveUp', 'ackAndBye', 'release'] },
    '3xx-6xx': { next: 'done', actions: ['stopGiveUp', 'release'] },
    transportError: { next: 'done', actions: ['stopGiveUp', 'release'] },
    cancelGiveUp: { next: 'done', actions: ['abortInvite', 'release'] },
    cancel: { next: 'cancelling', actions: [] },
  },
  done: {
    sessionReady: { next: 'done', actions: ['release'] }, // cancelled while the session was being made
    '1xx': { next: 'done', actions: [] },
    '2xx': { next: 'done', actions: ['late2xx'] }, // retransmission (re-ACK) or a forked answer (ACK+BYE)
    '3xx-6xx': { next: 'done', actions: [] },
    timeout: { next: 'done', actions: [] },
    transportError: { next: 'done', actions: [] },
    cancel: { next: 'done', actions: [] },
  },
};

/** Declined: the phone (or its user) said no, as opposed to a failure. */
const DECLINE_STATUSES = new Set([480, 486, 600, 603]);

export interface RingContext extends LegContext {
  /** The adapter starts tracking an answered leg (DTMF routing, health, close). */
  legStarted(leg: SipLeg): void;
}

export class OutboundRing implements RingAttempt {
  readonly outcome: Promise<RingOutcome>;
  private readonly settlement: RingSettlement;
  private state: RingState = 'starting';
  private readonly sipCallId: string;
  private readonly destination: PeerAddress;
  private invite: SipRequest | undefined;
  private inviteTx: ClientTransaction | undefined;
  private local: LocalMedia | undefined;
  private localSdp = '';
  private lastResponse: SipResponse | undefined;
  private giveUpTimer: TimerHandle | undefined;
  private leg: SipLeg | undefined;
  /** ACKs sent per To tag, re-sent when the 2xx is retransmitted. */
  private readonly acks = new Map<string, { ack: SipRequest; dest: PeerAddress }>();

  private readonly log: Logger;

  constructor(
    private readonly ctx: RingContext,
    private readonly req: RingRequest,
    log: Logger,
  ) {
    this.sipCallId = `${randomToken(16)}@${ctx.stack.advertisedHost}`;
    this.log = log.child({ sipCallId: this.sipCallId });
    this.settlement = new RingSettlement(this.log);
    this.outcome = this.settlement.outcome;
    this.destination = {
      transport: req.contact.transport,
      host: req.contact.sourceHost,
      port: req.contact.sourcePort,
    };
  }

  /** The SIP Call-ID of the INVITE (and the id of the leg if answered). */
  get legId(): string {
    return this.sipCallId;
  }

  get finished(): boolean {
    return this.state === 'done';
  }

  onRinging(fn: () => void): void {
    this.settlement.onRinging(fn);
  }

  cancel(): void {
    this.dispatch('cancel');
  }

  /** Creates the media session and sends the INVITE. */
  start(): void {
    if (!this.ctx.stack.supports(this.destination.transport)) {
      this.settle({ kind: 'failed', reason: `transport ${this.destination.transport} is not enabled` });
      this.state = 'done';
      return;
    }
    this.ctx.media
      .createSession(this.sipCallId)
      .then(
        (local) => {
          this.local = local;
          this.dispatch('sessionReady');
        },
        (err: unknown) => {
          this.log.error({ err }, 'media session could not be created');
          this.dispatch('sessionFailed');
        },
      )
      .catch((err: unknown) => this.log.error({ err }, 'ring start failed'));
  }

  private dispatch(event: RingEvent): void {
    const row = lookup(RING_TABLE, this.state, event);
    if (row === undefined) {
      this.log.warn({ code: 'HOTLINE_E_SIP_CALL_STATE', state: this.state, event }, 'ring: event not allowed in this state');
      return;
    }
    this.state = row.next;
    for (const action of row.actions) this.run(action);
  }

  private onResponse(res: SipResponse): void {
    this.lastResponse = res;
    this.dispatch(res.status < 200 ? '1xx' : res.status < 300 ? '2xx' : '3xx-6xx');
  }

  private run(action: RingAction): void {
    const res = this.lastResponse;
    switch (action) {
      case 'sendInvite':
        this.sendInvite();
        return;
      case 'emitRinging':
        if (res !== undefined && (res.status === 180 || res.status === 183)) {
          this.log.debug({ status: res.status }, 'agent phone ringing');
          this.settlement.emitRinging();
        }
        return;
      case 'acceptAnswer':
        this.acceptAnswer(res!);
        return;
      case 'settleByStatus': {
        const status = res!.status;
        this.settle(
          DECLINE_STATUSES.has(status)
            ? { kind: 'declined', sipStatus: status }
            : { kind: 'failed', sipStatus: status, reason: `${status} ${res!.reason}` },
        );
        return;
      }
      case 'settleTimeout':
        this.settle({ kind: 'failed', reason: 'no response (Timer B)' });
        return;
      case 'settleTransportError':
        this.settle({ kind: 'failed', reason: 'transport error' });
        return;
      case 'settleMediaFailed':
        this.settle({ kind: 'failed', reason: 'media session could not be created' });
        return;
      case 'settleCancelled':
        this.settle({ kind: 'cancelled' });
        return;
      case 'sendCancel':
        this.sendCancel();
        return;
      case 'startGiveUp':
        // §9.1: no final response 64*T1 after the CANCEL: consider the INVITE transaction gone.
        this.giveUpTimer = this.ctx.timers.setTimer(
          64 * this.ctx.stack.timing.t1Ms,
          guarded(this.log, 'cancel-give-up', () => this.dispatch('cancelGiveUp')),
        );
        return;
      case 'stopGiveUp':
        this.giveUpTimer?.cancel();
        return;
      case 'abortInvite':
        this.inviteTx?.abort();
        return;
      case 'ackAndBye':
        this.ackAndBye(res!);
        return;
      case 'late2xx':
        this.onLate2xx(res!);
        return;
      case 'release':
        if (this.local !== undefined && this.leg === undefined) this.ctx.media.destroySession(this.sipCallId);
        return;
    }
  }

  private settle(outcome: RingOutcome): void {
    this.settlement.settle(outcome);
  }

  private sendInvite(): void {
    const stack = this.ctx.stack;
    const host = stack.advertisedHost;
    const from = formatNameAddr({
      ...(this.req.callerName !== undefined ? { displayName: this.req.callerName } : {}),
      uri: `sip:${escapeUser(this.req.callerNumber)}@${host}`,
    });
    this.localSdp = this.ctx.sdp.offer(this.local!, 1);
    const headers = new SipHeaders()
      .append('Max-Forwards', '70')
      .append('From', `${from};tag=${randomToken(8)}`)
      .append('To', `<${this.req.contact.aor}>`)
      .append('Call-ID', this.sipCallId)
      .append('CSeq', '1 INVITE')
      .append('Contact', stack.contact(this.destination.transport))
      .append('Allow', ALLOWED_METHODS.join(', '))
      .append('Content-Type', SDP);
    this.invite = { kind: 'request', method: 'INVITE', uri: this.req.contact.contactUri, headers, body: Buffer.from(this.localSdp) };
    this.log.info({ agentId: this.req.agentId, contact: this.req.contact.contactUri }, 'ringing agent: INVITE sent');
    this.inviteTx = stack.sendRequest(this.invite, this.destination, {
      onResponse: (r) => this.onResponse(r),
      onTimeout: () => this.dispatch('timeout'),
      onTransportError: () => this.dispatch('transportError'),
    });
  }

  private sendCancel(): void {
    this.log.info('cancelling the ring: CANCEL sent');
    this.ctx.stack.sendCancel(this.invite!, this.destination, {
      onResponse: (r) => this.log.debug({ status: r.status }, 'response to CANCEL'),
      onTimeout: () => this.log.warn('CANCEL timed out'),
      onTransportError: () => this.log.warn('CANCEL could not be sent'),
    });
  }

  private dialogFor(res: SipResponse): Dialog {
    return Dialog.fromInviteResponse(this.invite!, res, this.destination, this.ctx.stack.contact(this.destination.transport));
  }

  /** §13.2.2.4: ACK every 2xx; remember the ACK so a retransmitted 2xx gets the same one. */
  private sendAck(dialog: Dialog, toTag: string): void {
    const ack = dialog.createAck(cseqOf(this.invite!).seq);
    const dest = dialog.destination();
    this.acks.set(toTag, { ack, dest });
    this.ctx.stack.sendAck(ack, dest).catch((err: unknown) => this.log.warn({ err }, 'ACK could not be sent'));
  }

  private acceptAnswer(res: SipResponse): void {
    const dialog = this.dialogFor(res);
    this.sendAck(dialog, dialog.remoteTag);
    const leg = SipLeg.answered(this.sipCallId, this.ctx, this.log, {
      dialog,
      sessionId: this.sipCallId,
      local: this.local!,
      localSdp: this.localSdp,
      sdpVersion: 1,
    });
    this.leg = leg;
    this.ctx.legStarted(leg);
    const remote = res.body.length > 0 ? this.ctx.sdp.parseAnswer(res.body.toString('utf8')) : null;
    if (remote === null) {
      this.settle({ kind: 'failed', sipStatus: res.status, reason: 'unusable SDP answer' });
      leg.hangup('unusable-sdp-answer').catch((err: unknown) => this.log.warn({ err }, 'hang-up failed'));
      return;
    }
    this.ctx.media.setRemote(this.sipCallId, remote);
    this.settle({ kind: 'answered', leg });
  }

  private ackAndBye(res: SipResponse): void {
    const dialog = this.dialogFor(res);
    this.sendAck(dialog, dialog.remoteTag);
    this.log.info('a 2xx crossed our CANCEL: ACK then BYE');
    this.ctx.stack.sendRequest(dialog.createRequest('BYE'), dialog.destination(), {
      onResponse: () => undefined,
      onTimeout: () => this.log.warn('BYE after crossed CANCEL timed out'),
      onTransportError: () => this.log.warn('BYE after crossed CANCEL could not be sent'),
    });
  }

  private onLate2xx(res: SipResponse): void {
    const toTag = tagOf(res, 'to') ?? '';
    const sent = this.acks.get(toTag);
    if (sent !== undefined) {
      this.ctx.stack.sendAck(sent.ack, sent.dest).catch(() => undefined);
      return;
    }
    this.ackAndBye(res); // another branch answered too (forking): we keep one call only
  }
}

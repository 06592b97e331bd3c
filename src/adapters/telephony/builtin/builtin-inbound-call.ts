/**
 * An inbound call (UAS side, RFC 3261 §13.3): the INVITE has been answered with 100 Trying and handed to the
 * application, which answers (media session, SDP answer, 200 with Contact, then the ACK), rejects, or lets
 * it ring until the caller cancels (487) or our answer timeout ends it (480).
 */
import type { Logger } from 'pino';
import type { InboundCall } from '../../../ports/call-control.js';
import type { LegAction } from './builtin-leg-states.js';
import { SDP, SipLeg, type LegContext } from './builtin-leg.js';
import { Dialog } from './sip/dialog.js';
import { SipError } from './sip/errors.js';
import type { IncomingRequest } from './sip/incoming-request.js';
import { addressOf, callIdOf, createResponse } from './sip/message.js';
import { ALLOWED_METHODS } from './sip/sip-stack.js';
import { guarded } from './sip/timers.js';
import { formatPeer } from './sip/transport/sip-transport.js';
import { parseSipUri, unescapeUser } from './sip/uri.js';

export class InboundSipCall extends SipLeg implements InboundCall {
  readonly from: string;
  readonly to: string;
  readonly source: string;
  private answerInAck = false;
  private readonly answerSettled: Promise<void>;
  private settleAnswer: (() => void) | undefined;

  constructor(
    readonly callId: string,
    ctx: LegContext,
    log: Logger,
    private readonly invite: IncomingRequest,
    answerTimeoutMs: number,
  ) {
    super(callIdOf(invite.request), ctx, log, 'offered');
    const req = invite.request;
    const fromUser = addressOf(req, 'from').sipUri?.user;
    const dialed = parseSipUri(req.uri)?.user ?? addressOf(req, 'to').sipUri?.user;
    this.from = fromUser === undefined ? '' : unescapeUser(fromUser);
    this.to = dialed === undefined ? '' : unescapeUser(dialed);
    this.source = formatPeer(invite.source);
    this.answerSettled = new Promise((resolve) => (this.settleAnswer = resolve));
    invite.onCancel(() => this.dispatch('cancel', { status: 487, by: 'remote', cause: 'cancel' }));
    this.answerTimer = ctx.timers.setTimer(
      answerTimeoutMs,
      guarded(log, 'answer-timeout', () => {
        this.answerTimer = undefined;
        this.dispatch('answerTimeout', { status: 480, by: 'local', cause: 'answer-timeout' });
      }),
    );
  }

  /** Resolves once the call is up (ACK received), or once it ended instead (see onHangup). */
  async answer(): Promise<void> {
    if (this.ended) return;
    if (this.state !== 'offered') {
      throw new SipError('HOTLINE_E_SIP_CALL_STATE', `answer() on a call in state ${this.state}`);
    }
    this.dispatch('answer');
    await this.answerSettled;
  }

  async reject(status: number, reason?: string): Promise<void> {
    if (!Number.isInteger(status) || status < 300 || status > 699) {
      throw new SipError('HOTLINE_E_SIP_CALL_STATE', `reject() needs a final status 300-699, got ${status}`);
    }
    if (this.ended) return;
    if (this.state !== 'offered' && this.state !== 'preparing') {
      throw new SipError('HOTLINE_E_SIP_CALL_STATE', `reject() on a call in state ${this.state}`);
    }
    this.dispatch('reject', { status, ...(reason !== undefined ? { reason } : {}), by: 'local', cause: `rejected-${status}` });
  }

  protected override run(action: LegAction): void {
    switch (action) {
      case 'prepareMedia':
        this.prepareMedia().catch((err: unknown) => this.log.error({ err }, 'answer failed'));
        return;
      case 'send2xx':
        this.send2xx();
        return;
      case 'sendFinal': {
        if (this.invite.finalSent) return;
        const { status = 480, reason } = this.detail;
        this.invite.respond(status, reason !== undefined ? { reason } : {});
        return;
      }
      default:
        super.run(action);
    }
  }

  protected override afterTransition(): void {
    if (this.state !== 'offered' && this.state !== 'preparing' && this.state !== 'answering') this.settleAnswer?.();
  }

  private async prepareMedia(): Promise<void> {
    let local;
    try {
      local = await this.ctx.media.createSession(this.legId);
    } catch (err) {
      this.log.error({ err }, 'media session could not be created');
      this.dispatch('mediaFailed', { status: 500, by: 'local', cause: 'media-error' });
      return;
    }
    if (this.state !== 'preparing') {
      this.ctx.media.destroySession(this.legId); // cancelled or hung up meanwhile
      return;
    }
    this.sessionId = this.legId;
    this.local = local;
    const offer = this.invite.request.body;
    if (offer.length > 0) {
      const result = this.ctx.sdp.answer(offer.toString('utf8'), local, this.sdpVersion);
      if (result === null) {
        this.dispatch('mediaFailed', { status: 488, by: 'local', cause: 'no-common-codec' });
        return;
      }
      this.ctx.media.setRemote(this.legId, result.remote);
      this.localSdp = result.answerSdp;
    } else {
      // No offer in the INVITE (§13.2.1): ours goes in the 2xx, the answer comes in the ACK.
      this.localSdp = this.ctx.sdp.offer(local, this.sdpVersion);
      this.answerInAck = true;
    }
    this.dispatch('mediaReady');
  }

  private send2xx(): void {
    const { request, source, localTag } = this.invite;
    this.dialog = Dialog.fromInboundInvite(request, source, localTag, this.ctx.stack.contact(source.transport));
    this.ctx.stack.addDialog(this.dialog, this);
    const headers: Array<[string, string]> = [];
    // §12.1.1: the 2xx copies Record-Route so the caller's proxies stay on the path.
    for (const rr of request.headers.getAll('record-route')) headers.push(['Record-Route', rr]);
    headers.push(['Contact', this.dialog.localContact], ['Allow', ALLOWED_METHODS.join(', ')]);
    const res = createResponse(request, 200, { toTag: localTag, headers, body: this.localSdp ?? '', contentType: SDP });
    this.log.info('call answered: 200 OK sent');
    this.start2xx(this.invite, res, this.answerInAck);
  }
}

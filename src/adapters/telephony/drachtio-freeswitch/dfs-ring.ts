/**
 * Ringing an agent: a FreeSWITCH channel that offers (createEndpoint without SDP), an INVITE to the agent's
 * registered contact with that offer (createUAC, routed to the flow the REGISTER came from), then the channel
 * takes the phone's answer (a re-INVITE to FreeSWITCH). The leg that results is bridged by the application.
 * CANCEL, 486/603 and a 2xx that crosses our CANCEL end the same way as with the built-in engine.
 *
 *   starting --channelReady--> inviting --answered--> connecting --mediaConnected--> done (answered)
 *      |  \ channelFailed         | \ rejected           |  \ mediaFailed
 *      |   +--> done (failed)     |  +--> done (declined/failed)   +--> done (failed: BYE, release)
 *      | cancel                   | cancel                 | cancel
 *      v                          v                        v
 *    done (cancelled)          cancelling --answered: BYE--> done    connectingCancelled --media*: BYE--> done
 *                                 | rejected (487): release
 *                                 v
 *                                done
 */
import type { Logger } from 'pino';
import { RingSettlement } from '../ring-settlement.js';
import type { RingAttempt, RingOutcome, RingRequest } from '../../../ports/call-control.js';
import { lookup, type Table } from '../builtin/sip/transaction/tables.js';
import { DfsLeg, type LegContext } from './dfs-leg.js';
import { describeError, sipStatusOf } from './errors.js';
import type { FsChannel } from './fs-channel.js';
import { plainRtpOffer } from './fs-messages.js';
import { guardDialog, markHandled } from './fsmrf-guards.js';
import type { SrfApi, SrfDialog, SrfRequest } from './types.js';

type RingState = 'starting' | 'inviting' | 'cancelling' | 'connecting' | 'connectingCancelled' | 'done';
type RingEvent =
  | 'channelReady'
  | 'channelFailed'
  | 'requestSent'
  | 'provisional'
  | 'answered'
  | 'rejected'
  | 'mediaConnected'
  | 'mediaFailed'
  | 'cancel';
type RingAction =
  | 'sendInvite'
  | 'sendCancel'
  | 'emitRinging'
  | 'connectMedia'
  | 'settleAnswered'
  | 'settleByStatus'
  | 'settleChannelFailed'
  | 'settleMediaFailed'
  | 'settleCancelled'
  | 'byeDialog'
  | 'releaseChannel';

export const DFS_RING_TABLE: Table<RingState, RingEvent, RingAction> = {
  starting: {
    channelReady: { next: 'inviting', actions: ['sendInvite'] },
    channelFailed: { next: 'done', actions: ['settleChannelFailed'] },
    cancel: { next: 'done', actions: ['settleCancelled'] },
  },
  inviting: {
    requestSent: { next: 'inviting', actions: [] },
    provisional: { next: 'inviting', actions: ['emitRinging'] },
    answered: { next: 'connecting', actions: ['connectMedia'] },
    rejected: { next: 'done', actions: ['settleByStatus', 'releaseChannel'] },
    cancel: { next: 'cancelling', actions: ['settleCancelled', 'sendCancel'] },
  },
  cancelling: {
    requestSent: { next: 'cancelling', actions: ['sendCancel'] }, // cancel() came before the INVITE left
    provisional: { next: 'cancelling', actions: [] },
    answered: { next: 'done', actions: ['byeDialog', 'releaseChannel'] }, // 2xx crossed our CANCEL (§15)
    rejected: { next: 'done', actions: ['releaseChannel'] }, // 487 Request Terminated
    cancel: { next: 'cancelling', actions: [] },
  },
  connecting: {
    mediaConnected: { next: 'done', actions: ['settleAnswered'] },
    mediaFailed: { next: 'done', actions: ['settleMediaFailed', 'byeDialog', 'releaseChannel'] },
    cancel: { next: 'connectingCancelled', actions: ['settleCancelled'] },
  },
  connectingCancelled: {
    mediaConnected: { next: 'done', actions: ['byeDialog', 'releaseChannel'] },
    mediaFailed: { next: 'done', actions: ['byeDialog', 'releaseChannel'] },
    cancel: { next: 'connectingCancelled', actions: [] },
  },
  done: {
    channelReady: { next: 'done', actions: ['releaseChannel'] }, // cancelled while the channel was made
    channelFailed: { next: 'done', actions: [] },
    requestSent: { next: 'done', actions: [] },
    provisional: { next: 'done', actions: [] },
    answered: { next: 'done', actions: ['byeDialog'] },
    rejected: { next: 'done', actions: [] },
    cancel: { next: 'done', actions: [] },
  },
};

/** Declined: the phone (or its user) said no, as opposed to a failure — the same set as the built-in. */
const DECLINE_STATUSES = new Set([480, 486, 600, 603]);

export interface RingContext extends LegContext {
  srf(): SrfApi | undefined;
  /** A FreeSWITCH channel that offers (no remote SDP yet). */
  openChannel(req: RingRequest, log: Logger): Promise<FsChannel>;
  legStarted(leg: DfsLeg): void;
  /** Headers our INVITEs to phones carry (User-Agent ...). */
  inviteHeaders: Record<string, string>;
}

export class DfsRing implements RingAttempt {
  readonly outcome: Promise<RingOutcome>;
  private readonly settlement: RingSettlement;
  private state: RingState = 'starting';
  private channel: FsChannel | undefined;
  private inviteReq: SrfRequest | undefined;
  private dialog: SrfDialog | undefined;
  private lastStatus: number | undefined;
  private lastError: string | undefined;
  private cancelSent = false;

  constructor(
    private readonly ctx: RingContext,
    private readonly req: RingRequest,
    private readonly log: Logger,
  ) {
    this.settlement = new RingSettlement(log, describeError);
    this.outcome = this.settlement.outcome;
  }

  onRinging(fn: () => void): void {
    this.settlement.onRinging(fn);
  }

  cancel(): void {
    this.dispatch('cancel');
  }

  start(): void {
    this.ctx.openChannel(this.req, this.log).then(
      (channel) => {
        this.channel = channel;
        this.dispatch('channelReady');
      },
      (err: unknown) => {
        this.lastError = describeError(err);
        this.log.error({ err: this.lastError }, 'no FreeSWITCH channel for the ring');
        this.dispatch('channelFailed');
      },
    );
  }

  private dispatch(event: RingEvent): void {
    const row = lookup(DFS_RING_TABLE, this.state, event);
    if (row === undefined) {
      this.log.warn({ code: 'HOTLINE_E_DFS_CALL_STATE', state: this.state, event }, 'ring: event not allowed in this state');
      return;
    }
    this.state = row.next;
    for (const action of row.actions) this.run(action);
  }

  private run(action: RingAction): void {
    switch (action) {
      case 'sendInvite':
        this.sendInvite();
        return;
      case 'sendCancel':
        this.sendCancel();
        return;
      case 'emitRinging':
        this.settlement.emitRinging();
        return;
      case 'connectMedia':
        this.connectMedia();
        return;
      case 'settleAnswered': {
        const leg = DfsLeg.answered(this.dialog!.sip.callId, this.ctx, this.log, this.dialog!, this.channel!);
        this.ctx.legStarted(leg);
        this.settle({ kind: 'answered', leg });
        return;
      }
      case 'settleByStatus': {
        const status = this.lastStatus;
        if (status === undefined) this.settle({ kind: 'failed', reason: `INVITE failed: ${this.lastError ?? 'no response'}` });
        else if (DECLINE_STATUSES.has(status)) this.settle({ kind: 'declined', sipStatus: status });
        else this.settle({ kind: 'failed', sipStatus: status, reason: `${status}${status === 408 ? ' no answer (timeout)' : ''}` });
        return;
      }
      case 'settleChannelFailed':
        this.settle({ kind: 'failed', reason: `media server: ${this.lastError ?? 'no channel'}` });
        return;
      case 'settleMediaFailed':
        this.settle({ kind: 'failed', sipStatus: 200, reason: 'unusable SDP answer' });
        return;
      case 'settleCancelled':
        this.settle({ kind: 'cancelled' });
        return;
      case 'byeDialog':
        if (this.dialog !== undefined) markHandled(this.dialog.destroy(), this.log, 'BYE').catch(() => undefined);
        return;
      case 'releaseChannel':
        if (this.channel !== undefined) void this.channel.release();
        return;
    }
  }

  private settle(outcome: RingOutcome): void {
    this.settlement.settle(outcome);
  }

  private sendInvite(): void {
    const srf = this.ctx.srf();
    const offer = this.channel?.localSdp;
    const sdp = offer === undefined ? undefined : plainRtpOffer(offer);
    if (srf === undefined || sdp === undefined) {
      this.lastError = srf === undefined ? 'drachtio is not connected' : 'FreeSWITCH gave no SDP offer';
      this.dispatch('rejected');
      return;
    }
    const c = this.req.contact;
    // Route to the flow the REGISTER came from (like rport, RFC 3581), whatever the Contact says.
    const proxy = `sip:${c.sourceHost}:${c.sourcePort};transport=${c.transport}`;
    this.log.info({ agentId: this.req.agentId, contact: c.contactUri }, 'ringing agent: INVITE sent');
    srf
      .createUAC(
        c.contactUri,
        {
          localSdp: sdp,
          proxy,
          callingNumber: this.req.callerNumber,
          ...(this.req.callerName !== undefined ? { callingName: this.req.callerName } : {}),
          headers: { ...this.ctx.inviteHeaders, To: `<${c.aor}>` },
        },
        {
          cbRequest: (err, sent) => {
            if (err || sent === undefined) return; // the promise rejects too
            this.inviteReq = sent;
            this.dispatch('requestSent');
          },
          cbProvisional: (res) => {
            if (res.status === 180 || res.status === 183) this.dispatch('provisional');
          },
        },
      )
      .then(
        (dialog) => {
          this.dialog = guardDialog(dialog, this.log);
          this.dispatch('answered');
        },
        (err: unknown) => {
          this.lastStatus = sipStatusOf(err);
          this.lastError = describeError(err);
          this.dispatch('rejected');
        },
      )
      .catch((err: unknown) => this.log.error({ err: describeError(err) }, 'ring handler failed'));
  }

  private sendCancel(): void {
    const req = this.inviteReq;
    if (req === undefined || this.cancelSent) return; // sent when the request is known (requestSent row)
    this.cancelSent = true;
    this.log.info('cancelling the ring: CANCEL sent');
    try {
      req.cancel((err) => {
        if (err) this.log.warn({ err: describeError(err) }, 'CANCEL could not be sent');
      });
    } catch (err) {
      this.log.warn({ err: describeError(err) }, 'CANCEL could not be sent');
    }
  }

  private connectMedia(): void {
    const answer = this.dialog?.remote.sdp ?? '';
    const channel = this.channel!;
    if (answer.trim().length === 0) {
      this.dispatch('mediaFailed');
      return;
    }
    channel.updateRemoteSdp(answer).then(
      () => this.dispatch('mediaConnected'),
      (err: unknown) => {
        this.log.warn({ err: describeError(err) }, "FreeSWITCH refused the phone's SDP answer");
        this.dispatch('mediaFailed');
      },
    );
  }
}

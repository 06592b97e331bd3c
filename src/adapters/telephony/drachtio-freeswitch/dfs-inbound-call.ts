/**
 * An inbound call: the INVITE drachtio-server handed us (it sent 100 Trying) and, once the application
 * answers, a FreeSWITCH channel given the caller's SDP (createEndpoint, the first half of drachtio-fsmrf's
 * connectCaller) and the 200 with FreeSWITCH's answer (createUAS, the second half). We do the two halves
 * ourselves so that a caller who hangs up in between never leaves the channel behind.
 */
import type { Logger } from 'pino';
import type { InboundCall } from '../../../ports/call-control.js';
import type { Clock } from '../../../ports/clock.js';
import { parseNameAddr, parseSipUri, unescapeUser } from '../builtin/sip/uri.js';
import type { DfsLegAction } from './dfs-leg-states.js';
import { DfsLeg, SDP, type LegContext } from './dfs-leg.js';
import { DfsError, describeError, sipStatusOf } from './errors.js';
import type { FsChannel } from './fs-channel.js';
import { guardDialog, markHandled } from './fsmrf-guards.js';
import type { SrfApi, SrfRequest, SrfResponse } from './types.js';

export interface InboundContext extends LegContext {
  clock: Pick<Clock, 'setTimer'>;
  srf(): SrfApi | undefined;
  /** A FreeSWITCH channel for this call: with the caller's SDP, or offering (no SDP in the INVITE). */
  openChannel(call: DfsInboundCall, remoteSdp: string | undefined): Promise<FsChannel>;
  /** The call's setup is over (answered or ended): it no longer counts against the setup cap. */
  setupDone(call: DfsInboundCall): void;
}

/** Retry-After of a 503 sent because FreeSWITCH gave no channel. */
const RETRY_AFTER_SEC = 5;

/** User part of a SIP/SIPS URI, unescaped; '' when there is none. */
function userOf(uri: string | undefined): string | undefined {
  if (uri === undefined) return undefined;
  const user = parseSipUri(uri)?.user;
  return user === undefined ? undefined : unescapeUser(user);
}

export class DfsInboundCall extends DfsLeg implements InboundCall {
  readonly from: string;
  readonly to: string;
  readonly source: string;
  private readonly answerSettled: Promise<void>;
  private settleAnswer: (() => void) | undefined;
  private setupOver = false;

  constructor(
    readonly callId: string,
    private readonly inbound: InboundContext,
    log: Logger,
    private readonly req: SrfRequest,
    private readonly res: SrfResponse,
    answerTimeoutMs: number,
  ) {
    super(req.get('call-id') ?? callId, inbound, log, 'offered');
    const fromHeader = req.get('from');
    const fromUri = fromHeader !== undefined ? parseNameAddr(fromHeader)?.uri : undefined;
    const toHeader = req.get('to');
    const toUri = toHeader !== undefined ? parseNameAddr(toHeader)?.uri : undefined;
    this.from = userOf(fromUri) ?? '';
    this.to = userOf(req.uri) ?? userOf(toUri) ?? '';
    this.source = `${(req.protocol ?? 'udp').toLowerCase()}:${req.source_address}:${req.source_port}`;
    this.answerSettled = new Promise((resolve) => (this.settleAnswer = resolve));
    req.on('cancel', () => this.dispatch('cancel', { by: 'remote', cause: 'cancel' }));
    this.answerTimer = inbound.clock.setTimer(answerTimeoutMs, () => {
      this.answerTimer = undefined;
      this.dispatch('answerTimeout', { status: 480, by: 'local', cause: 'answer-timeout' });
    });
  }

  /** Resolves once the call is up (200 sent with FreeSWITCH's SDP), or once it ended instead. */
  async answer(): Promise<void> {
    if (this.ended) return;
    if (this.state !== 'offered') throw new DfsError('HOTLINE_E_DFS_CALL_STATE', `answer() on a call in state ${this.state}`);
    this.dispatch('answer');
    await this.answerSettled;
  }

  async reject(status: number, reason?: string): Promise<void> {
    if (!Number.isInteger(status) || status < 300 || status > 699) {
      throw new DfsError('HOTLINE_E_DFS_CALL_STATE', `reject() needs a final status 300-699, got ${status}`);
    }
    if (this.ended) return;
    if (this.state !== 'offered' && this.state !== 'answering') {
      throw new DfsError('HOTLINE_E_DFS_CALL_STATE', `reject() on a call in state ${this.state}`);
    }
    this.dispatch('reject', { status, ...(reason !== undefined ? { reason } : {}), by: 'local', cause: `rejected-${status}` });
  }

  protected override run(action: DfsLegAction): void {
    switch (action) {
      case 'connectMedia':
        this.connectMedia().catch((err: unknown) => {
          this.log.error({ err: describeError(err) }, 'answer failed');
          this.dispatch('answerFailed', { status: 500, by: 'local', cause: 'media-error' });
        });
        return;
      case 'sendFinal':
        this.sendFinal();
        return;
      default:
        super.run(action);
    }
  }

  protected override afterTransition(): void {
    if (this.state === 'active' || this.state === 'ended') {
      this.settleAnswer?.();
      if (!this.setupOver) {
        this.setupOver = true;
        this.inbound.setupDone(this);
      }
    }
  }

  /** Our refusal: a final response while none went out, or BYE once the 2xx did. */
  private sendFinal(): void {
    if (this.dialog !== undefined) {
      this.sendBye();
      return;
    }
    if (this.res.finalResponseSent) return;
    const { status = 480, reason } = this.detail;
    // A 503 of ours (FreeSWITCH refused the channel: its session limit, sessions per second or idle CPU) is a
    // refusal like admission control's, with the same hint when to come back.
    const opts = status === 503 ? { headers: { 'Retry-After': String(RETRY_AFTER_SEC) } } : undefined;
    try {
      if (reason !== undefined) this.res.send(status, reason, opts);
      else this.res.send(status, opts);
    } catch (err) {
      this.log.warn({ err: describeError(err), status }, 'final response not sent');
    }
  }

  private async connectMedia(): Promise<void> {
    const offer = this.req.body && this.req.body.trim().length > 0 ? this.req.body : undefined;
    let channel: FsChannel;
    try {
      channel = await this.inbound.openChannel(this, offer);
    } catch (err) {
      const status = sipStatusOf(err);
      this.log.error({ err: describeError(err), status }, 'no FreeSWITCH channel for the call');
      if (status === 488) this.dispatch('answerFailed', { status: 488, by: 'local', cause: 'no-common-codec' });
      else this.dispatch('answerFailed', { status: 503, by: 'local', cause: 'media-error' });
      return;
    }
    if (this.state !== 'answering') {
      void channel.release(); // cancelled or hung up while FreeSWITCH was setting up
      return;
    }
    this.attachChannel(channel);
    const srf = this.inbound.srf();
    const localSdp = channel.localSdp;
    if (srf === undefined || localSdp === undefined) {
      this.dispatch('answerFailed', { status: 503, by: 'local', cause: 'media-error' });
      return;
    }
    let dialog;
    try {
      dialog = guardDialog(await srf.createUAS(this.req, this.res, { localSdp, headers: { 'Content-Type': SDP } }), this.log);
    } catch (err) {
      // 487: the caller's CANCEL got there first, and req 'cancel' already ended the leg.
      if (sipStatusOf(err) !== 487) {
        this.log.error({ err: describeError(err) }, 'the 200 OK could not be sent');
        this.dispatch('answerFailed', { status: 500, by: 'local', cause: 'answer-failed' });
      }
      return;
    }
    if (this.state !== 'answering') {
      markHandled(dialog.destroy(), this.log, 'BYE after hang-up').catch(() => undefined);
      return;
    }
    this.attachDialog(dialog);
    if (offer === undefined) {
      // §13.2.1 delayed offer: FreeSWITCH offered in our 2xx, the caller answers in the ACK.
      dialog.on('ack', (ack) => {
        const answerSdp = ack.body ?? '';
        if (answerSdp.trim().length === 0) {
          this.dispatch('localHangup', { by: 'local', cause: 'unusable-sdp-answer' });
          return;
        }
        channel.updateRemoteSdp(answerSdp).catch((err: unknown) => {
          this.log.warn({ err: describeError(err) }, 'FreeSWITCH refused the SDP answer in the ACK');
          this.dispatch('localHangup', { by: 'local', cause: 'unusable-sdp-answer' });
        });
      });
    }
    this.log.info('call answered: 200 OK sent');
    this.dispatch('answered');
  }
}

/**
 * One SIP leg with media, shared by inbound calls and answered outbound rings: DTMF (SIP INFO and RFC 4733
 * from the media engine), hang-up, in-dialog requests (BYE, INFO, re-INVITE, OPTIONS) and the MediaEngine
 * calls behind play / music on hold / recording. The leg's lifecycle is the table in builtin-leg-states.ts.
 */
import type { Logger } from 'pino';
import type { CallLeg, DtmfEvent, DtmfSource, HangupEvent, PlayOptions, PlayOutcome, TransferRequest } from '../../../ports/call-control.js';
import type { TimerHandle } from '../../../ports/clock.js';
import { LEG_TABLE, type LegAction, type LegEvent, type LegState } from './builtin-leg-states.js';
import { acceptRefer } from './builtin-refer.js';
import type { LocalMedia, MediaEngine, SdpNegotiator } from './media/media-engine.js';
import { DTMF_INFO_TYPES, dtmfFromInfo } from './sip-info-dtmf.js';
import type { Dialog } from './sip/dialog.js';
import { SipError } from './sip/errors.js';
import type { IncomingRequest } from './sip/incoming-request.js';
import { createResponse, cseqOf, type SipRequest } from './sip/message.js';
import { ALLOWED_METHODS, type DialogUser, type SipStack } from './sip/sip-stack.js';
import type { SipTimers } from './sip/timers.js';
import { lookup } from './sip/transaction/tables.js';
import { Uas2xxRetransmitter } from './sip/uas-2xx.js';
import { LegListeners } from '../leg-listeners.js';

/** What every leg needs from the adapter. */
export interface LegContext {
  stack: SipStack;
  media: MediaEngine;
  sdp: SdpNegotiator;
  timers: SipTimers;
  /** The adapter forgets the leg (no more DTMF routing, not counted in health). */
  legReleased(leg: SipLeg): void;
}

/** Event details some actions need: the final status to send, and who ended the call and why. */
export interface LegEventDetail {
  status?: number;
  reason?: string;
  by?: HangupEvent['by'];
  cause?: string;
}

export const SDP = 'application/sdp';

export class SipLeg implements CallLeg, DialogUser {
  protected state: LegState;
  protected dialog: Dialog | undefined;
  /** Media session id (= legId) once the MediaEngine session exists. */
  protected sessionId: string | undefined;
  protected local: LocalMedia | undefined;
  protected localSdp: string | undefined;
  protected sdpVersion = 1;
  protected answerTimer: TimerHandle | undefined;
  /** The 2xx we retransmit until its ACK (initial INVITE or re-INVITE), with the CSeq it answers. */
  protected pending2xx: { retransmitter: Uas2xxRetransmitter; cseq: number; answerInAck: boolean } | undefined;
  private readonly listeners: LegListeners;
  private playing: { bargeIn: boolean; interruptedByInfo: boolean } | undefined;
  private byeDone: Promise<void> = Promise.resolve();
  private endedResolve: (() => void) | undefined;
  private readonly endedPromise: Promise<void>;
  protected detail: LegEventDetail = {};
  bridged = false;

  constructor(
    readonly legId: string,
    protected readonly ctx: LegContext,
    protected readonly log: Logger,
    initial: LegState,
  ) {
    this.state = initial;
    this.listeners = new LegListeners((err) => this.log.error({ err }, 'call leg listener or media call failed'));
    this.endedPromise = new Promise((resolve) => (this.endedResolve = resolve));
  }

  /** An outbound leg whose 2xx we have ACKed: the ring hands over its dialog and media session. */
  static answered(
    legId: string,
    ctx: LegContext,
    log: Logger,
    setup: { dialog: Dialog; sessionId: string; local: LocalMedia; localSdp: string; sdpVersion: number },
  ): SipLeg {
    const leg = new SipLeg(legId, ctx, log, 'active');
    leg.dialog = setup.dialog;
    leg.sessionId = setup.sessionId;
    leg.local = setup.local;
    leg.localSdp = setup.localSdp;
    leg.sdpVersion = setup.sdpVersion;
    ctx.stack.addDialog(setup.dialog, leg);
    return leg;
  }

  /** Ended for the application: hung up (even if a BYE still waits for the ACK) or never answered. */
  get ended(): boolean {
    return this.state === 'ended' || this.state === 'byePending';
  }

  get mediaSessionId(): string | undefined {
    return this.sessionId;
  }

  get activeDialog(): Dialog | undefined {
    return this.state === 'ended' ? undefined : this.dialog;
  }

  onDtmf(fn: (ev: DtmfEvent) => void): void {
    this.listeners.onDtmf(fn);
  }

  onTransferRequest(fn: (req: TransferRequest) => void): void {
    this.listeners.onTransferRequest(fn);
  }

  onHangup(fn: (ev: HangupEvent) => void): void {
    this.listeners.onHangup(fn);
  }

  async play(files: readonly string[], opts: PlayOptions = {}): Promise<PlayOutcome> {
    if (this.ended) return 'hangup';
    const session = this.requireSession('play');
    const state = { bargeIn: opts.bargeIn ?? false, interruptedByInfo: false };
    this.playing = state;
    try {
      const outcome = await this.ctx.media.play(session, files, { bargeIn: state.bargeIn, loop: false });
      if (this.ended) return 'hangup';
      return outcome === 'stopped' && state.interruptedByInfo ? 'interrupted' : outcome;
    } finally {
      if (this.playing === state) this.playing = undefined;
    }
  }

  startMusicOnHold(file: string): void {
    if (this.ended) return;
    const session = this.requireSession('startMusicOnHold');
    this.ctx.media
      .play(session, [file], { bargeIn: false, loop: true })
      .catch((err: unknown) => this.log.warn({ err, file }, 'music on hold failed'));
  }

  stopMedia(): void {
    if (this.sessionId !== undefined && !this.ended) this.ctx.media.stop(this.sessionId);
  }

  startRecording(file: string): void {
    if (this.ended) return;
    this.ctx.media.startRecording(this.requireSession('startRecording'), file);
  }

  async stopRecording(): Promise<void> {
    if (this.sessionId !== undefined) await this.ctx.media.stopRecording(this.sessionId);
  }

  /**
   * Ends the leg for the application at once (onHangup fires, media is released). The SIP side finishes on
   * its own: a BYE (after the ACK if our 2xx is not yet acknowledged), or a 480 when never answered.
   */
  async hangup(cause = 'normal'): Promise<void> {
    this.dispatch('localHangup', { status: 480, by: 'local', cause });
  }

  /** Resolves when the SIP side is over too: the dialog ended and our BYE (if any) was answered or gave up. */
  async settled(): Promise<void> {
    await this.endedPromise;
    await this.byeDone;
  }

  /** A digit from the media engine (RFC 4733) or a SIP INFO. */
  receiveDtmf(digit: string, source: DtmfSource): void {
    if (this.ended) return;
    this.log.debug({ digit, source }, 'DTMF received');
    if (source === 'sip-info' && this.playing?.bargeIn === true && this.sessionId !== undefined) {
      // The media engine only sees RFC 4733 digits; barge-in on an INFO digit is ours to do.
      this.playing.interruptedByInfo = true;
      this.ctx.media.stop(this.sessionId);
    }
    this.listeners.dtmfReceived({ digit, source });
  }

  // ---- DialogUser -------------------------------------------------------------------------------------

  onRequest(req: IncomingRequest, dialog: Dialog): void {
    switch (req.request.method) {
      case 'BYE':
        req.respond(200);
        this.dispatch('bye', { by: 'remote', cause: 'bye' });
        return;
      case 'INFO':
        this.onInfo(req);
        return;
      case 'INVITE':
        this.onReinvite(req, dialog);
        return;
      case 'OPTIONS':
        req.respond(200, { headers: this.ctx.stack.capabilityHeaders() });
        return;
      case 'REFER': {
        const transfer = acceptRefer(req, dialog, { stack: this.ctx.stack, log: this.log }, this.listeners.takesTransfers && !this.ended);
        if (transfer) this.listeners.transferRequested(transfer);
        return;
      }
      default:
        req.respond(405, { headers: [['Allow', ALLOWED_METHODS.join(', ')]] });
    }
  }

  onAck(ack: SipRequest, _dialog: Dialog): void {
    const pending = this.pending2xx;
    if (pending === undefined || cseqOf(ack).seq !== pending.cseq) return; // a retransmitted ACK
    pending.retransmitter.stop();
    this.pending2xx = undefined;
    const usable = !pending.answerInAck || this.applyAnswerFromAck(ack);
    const initial = this.state === 'answering';
    this.dispatch('ack');
    // A call whose very first offer/answer failed has no media: end it. A failed re-INVITE keeps the old one.
    if (!usable && initial) this.dispatch('localHangup', { by: 'local', cause: 'unusable-sdp-answer' });
  }

  // ---- state machine ----------------------------------------------------------------------------------

  protected dispatch(event: LegEvent, detail: LegEventDetail = {}): boolean {
    const row = lookup(LEG_TABLE, this.state, event);
    if (row === undefined) {
      this.log.warn({ code: 'HOTLINE_E_SIP_CALL_STATE', state: this.state, event }, 'call leg: event not allowed in this state');
      return false;
    }
    this.log.debug({ from: this.state, to: row.next, event }, 'call leg transition');
    this.detail = { ...this.detail, ...detail };
    this.state = row.next;
    for (const action of row.actions) this.run(action);
    if (this.state === 'ended') this.endedResolve?.();
    this.afterTransition();
    return true;
  }

  /** Subclasses watch state changes here (e.g. to settle answer()). */
  protected afterTransition(): void {}

  /** Actions the inbound call adds (prepareMedia, send2xx, sendFinal) are implemented by the subclass. */
  protected run(action: LegAction): void {
    switch (action) {
      case 'stopAnswerTimer':
        this.answerTimer?.cancel();
        this.answerTimer = undefined;
        return;
      case 'stop2xx':
        this.pending2xx?.retransmitter.stop();
        this.pending2xx = undefined;
        return;
      case 'sendBye':
        this.byeDone = this.sendBye();
        return;
      case 'release':
        this.release();
        return;
      case 'dropDialog':
        if (this.dialog !== undefined) {
          this.dialog.state = 'terminated';
          this.ctx.stack.removeDialog(this.dialog);
        }
        return;
      default:
        this.log.error({ code: 'HOTLINE_E_SIP_CALL_STATE', action }, 'call leg action not implemented');
    }
  }

  private release(): void {
    this.answerTimer?.cancel();
    this.answerTimer = undefined;
    if (this.sessionId !== undefined) {
      if (this.bridged) this.safely(() => this.ctx.media.unbridge(this.sessionId!));
      this.safely(() => this.ctx.media.destroySession(this.sessionId!));
    }
    this.ctx.legReleased(this);
    const ev: HangupEvent = { by: this.detail.by ?? 'local', cause: this.detail.cause ?? 'normal' };
    this.log.info({ by: ev.by, cause: ev.cause }, 'call leg ended');
    this.listeners.hungUp(ev);
  }

  private sendBye(): Promise<void> {
    const dialog = this.dialog;
    if (dialog === undefined) return Promise.resolve();
    const bye = dialog.createRequest('BYE');
    return new Promise((resolve) => {
      this.ctx.stack.sendRequest(bye, dialog.destination(), {
        onResponse: (res) => {
          if (res.status >= 200) resolve();
        },
        onTimeout: () => {
          this.log.warn('BYE timed out');
          resolve();
        },
        onTransportError: () => {
          this.log.warn('BYE could not be sent');
          resolve();
        },
      });
    });
  }

  private onInfo(req: IncomingRequest): void {
    const body = req.request.body;
    const digit = dtmfFromInfo(req.request.headers.get('content-type'), body);
    if (digit === undefined) {
      // RFC 6086 legacy INFO: an empty INFO is a keep-alive; other bodies are not ours.
      if (body.length === 0) req.respond(200);
      else req.respond(415, { headers: [['Accept', DTMF_INFO_TYPES.join(', ')]] });
      return;
    }
    if (digit === null) {
      req.respond(400, { reason: 'Bad Request (unreadable DTMF)' });
      return;
    }
    req.respond(200);
    this.receiveDtmf(digit, 'sip-info');
  }

  /** §14.2: a re-INVITE. An offer gets an answer on the same media session; no offer gets our offer. */
  private onReinvite(req: IncomingRequest, dialog: Dialog): void {
    if (this.state !== 'active' || this.pending2xx !== undefined || this.local === undefined) {
      req.respond(500, { headers: [['Retry-After', String(1 + Math.floor(Math.random() * 9))]] });
      return;
    }
    const offer = req.request.body;
    let answerInAck = false;
    if (offer.length > 0) {
      let result = this.ctx.sdp.answer(offer.toString('utf8'), this.local, this.sdpVersion);
      if (result === null) {
        req.respond(488); // the session stays as it was (RFC 3264 §8)
        return;
      }
      if (result.answerSdp !== this.localSdp) {
        // RFC 3264 §8: the o= version goes up only when the description changes.
        this.sdpVersion += 1;
        result = this.ctx.sdp.answer(offer.toString('utf8'), this.local, this.sdpVersion) ?? result;
      }
      this.localSdp = result.answerSdp;
      this.ctx.media.setRemote(this.sessionId!, result.remote);
    } else {
      answerInAck = true; // we offer in the 2xx, the answer comes in the ACK
    }
    dialog.refreshTarget(req.request);
    const res = createResponse(req.request, 200, {
      toTag: req.localTag,
      headers: [['Contact', dialog.localContact], ['Allow', ALLOWED_METHODS.join(', ')]],
      body: this.localSdp ?? '',
      contentType: SDP,
    });
    this.start2xx(req, res, answerInAck);
  }

  protected start2xx(req: IncomingRequest, res: ReturnType<typeof createResponse>, answerInAck: boolean): void {
    const onNoAck = (): void => {
      this.log.warn('no ACK for our 2xx within 64*T1: ending the call');
      this.pending2xx = undefined;
      this.dispatch('ackTimeout', { by: 'local', cause: 'no-ack' });
    };
    const retransmitter = new Uas2xxRetransmitter(req, res, this.ctx.timers, this.ctx.stack.timing, onNoAck, this.log);
    this.pending2xx = { retransmitter, cseq: cseqOf(req.request).seq, answerInAck };
    retransmitter.start();
  }

  private applyAnswerFromAck(ack: SipRequest): boolean {
    const remote = ack.body.length > 0 ? this.ctx.sdp.parseAnswer(ack.body.toString('utf8')) : null;
    if (remote === null) {
      this.log.warn('ACK carried no usable SDP answer');
      return false;
    }
    if (this.sessionId !== undefined) this.ctx.media.setRemote(this.sessionId, remote);
    return true;
  }

  protected requireSession(op: string): string {
    if (this.sessionId === undefined) {
      throw new SipError('HOTLINE_E_SIP_CALL_STATE', `${op}() needs an answered call (leg ${this.legId})`);
    }
    return this.sessionId;
  }

  protected safely(fn: () => void): void {
    this.listeners.safely(fn);
  }
}

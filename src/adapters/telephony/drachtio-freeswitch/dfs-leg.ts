/**
 * One call leg of the drachtio-freeswitch adapter: a SIP dialog held by drachtio-server (caller or agent
 * phone) plus the FreeSWITCH channel its media goes to. DTMF arrives two ways: RFC 4733 in the media (a
 * FreeSWITCH DTMF event) and SIP INFO in the dialog (ours to read; FreeSWITCH never sees it). The life of the
 * leg is the table in dfs-leg-states.ts.
 */
import type { Logger } from 'pino';
import type { CallLeg, DtmfEvent, DtmfSource, HangupEvent, PlayOptions, PlayOutcome, TransferRequest } from '../../../ports/call-control.js';
import type { TimerHandle } from '../../../ports/clock.js';
import { lookup } from '../builtin/sip/transaction/tables.js';
import { DTMF_INFO_TYPES, dtmfFromInfo } from '../builtin/sip-info-dtmf.js';
import { checkRefer, referEventId, SIPFRAG, transferUnderWay } from '../refer.js';
import { DFS_LEG_TABLE, type DfsLegAction, type DfsLegEvent, type DfsLegState } from './dfs-leg-states.js';
import { DfsError, describeError } from './errors.js';
import type { FsChannel } from './fs-channel.js';
import { markHandled } from './fsmrf-guards.js';
import type { SrfDialog, SrfRequest, SrfResponse } from './types.js';
import { LegListeners } from '../leg-listeners.js';

export interface LegContext {
  /** The adapter forgets the leg (health counts, close()). */
  legEnded(leg: DfsLeg): void;
}

export interface LegEventDetail {
  status?: number;
  reason?: string;
  by?: HangupEvent['by'];
  cause?: string;
}

export const SDP = 'application/sdp';

export class DfsLeg implements CallLeg {
  protected state: DfsLegState;
  protected dialog: SrfDialog | undefined;
  protected channel: FsChannel | undefined;
  protected answerTimer: TimerHandle | undefined;
  protected detail: LegEventDetail = {};
  private readonly listeners: LegListeners;
  private recordingStart: Promise<void> | undefined;
  bridged = false;

  constructor(
    readonly legId: string,
    protected readonly ctx: LegContext,
    readonly log: Logger,
    initial: DfsLegState,
  ) {
    this.state = initial;
    this.listeners = new LegListeners((err) => this.log.error({ err: describeError(err) }, 'call leg listener failed'));
  }

  /** An agent leg: its ring was answered and its channel took the phone's SDP. */
  static answered(legId: string, ctx: LegContext, log: Logger, dialog: SrfDialog, channel: FsChannel): DfsLeg {
    const leg = new DfsLeg(legId, ctx, log, 'active');
    leg.attachChannel(channel);
    leg.attachDialog(dialog);
    return leg;
  }

  get ended(): boolean {
    return this.state === 'ended';
  }

  get fsChannel(): FsChannel | undefined {
    return this.channel;
  }

  get legState(): DfsLegState {
    return this.state;
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
    const outcome = await this.requireChannel('play').play(files, { bargeIn: opts.bargeIn ?? false, loop: false });
    return this.ended ? 'hangup' : outcome;
  }

  startMusicOnHold(file: string): void {
    if (this.ended) return;
    this.requireChannel('startMusicOnHold')
      .play([file], { bargeIn: false, loop: true })
      .catch((err: unknown) => this.log.warn({ err: describeError(err), file }, 'music on hold failed'));
  }

  stopMedia(): void {
    if (!this.ended) this.channel?.stop();
  }

  startRecording(file: string): void {
    if (this.ended) return;
    const channel = this.requireChannel('startRecording');
    this.recordingStart = channel.startRecording(file).catch((err: unknown) => this.log.error({ err: describeError(err), file }, 'recording could not start'));
  }

  async stopRecording(): Promise<void> {
    const start = this.recordingStart;
    this.recordingStart = undefined;
    if (start === undefined) return;
    await start;
    await this.channel?.stopRecording().catch((err: unknown) => this.log.warn({ err: describeError(err) }, 'recording stop failed'));
  }

  /** Ends the leg for the application at once; BYE (or the final response) and the channel follow. */
  async hangup(cause = 'normal'): Promise<void> {
    this.dispatch('localHangup', { status: 480, by: 'local', cause });
  }

  /** A digit from either path; barge-in on an INFO digit is ours (FreeSWITCH does it for RFC 4733). */
  receiveDtmf(ev: DtmfEvent): void {
    if (this.ended) return;
    this.log.debug({ digit: ev.digit, source: ev.source }, 'DTMF received');
    if (ev.source === 'sip-info') this.channel?.bargeIn();
    this.listeners.dtmfReceived(ev);
  }

  protected attachChannel(channel: FsChannel): void {
    this.channel = channel;
    channel.onDtmf((ev) => this.receiveDtmf(ev));
    channel.onGone((g) => {
      if (!g.byUs) this.dispatch('mediaGone', { by: 'local', cause: g.cause });
    });
  }

  protected attachDialog(dialog: SrfDialog): void {
    this.dialog = dialog;
    dialog.on('destroy', () => this.dispatch('bye', { by: 'remote', cause: 'bye' }));
    dialog.on('info', (req, res) => this.onInfo(req, res));
    dialog.on('modify', (req, res) => this.onReinvite(req, res));
    // Always listened to: without a listener drachtio-srf would answer 200 and the transfer would be lost.
    dialog.on('refer', (req, res) => this.onRefer(req, res));
  }

  /** Blind transfer (RFC 3515): 202, NOTIFY 100 Trying, the app decides, NOTIFY with its outcome. */
  private onRefer(req: SrfRequest, res: SrfResponse): void {
    const dialog = this.dialog;
    const referTo = req.get('Refer-To');
    const check = checkRefer(referTo === undefined ? [] : [referTo]);
    if (!check.ok) {
      this.log.info({ status: check.status, reason: check.reason }, 'REFER refused');
      res.send(check.status, check.reason);
      return;
    }
    if (dialog === undefined || this.ended || !this.listeners.takesTransfers) {
      this.log.info({ referTo: check.referTo }, 'REFER refused: this call cannot be transferred');
      res.send(603);
      return;
    }
    res.send(202);
    const id = referEventId(req.get('CSeq'));
    const notify = (body: string, state: string): void => {
      dialog
        .request({ method: 'NOTIFY', headers: { Event: `refer;id=${id}`, 'Subscription-State': state, 'Content-Type': SIPFRAG }, body })
        .catch((err: unknown) => this.log.warn({ err: describeError(err) }, 'REFER NOTIFY not sent'));
    };
    this.log.info({ referTo: check.referTo, target: check.target }, 'REFER accepted: blind transfer requested');
    const transfer = transferUnderWay(check, notify, () => dialog.connected);
    this.listeners.transferRequested(transfer);
  }

  // ---- state machine ----------------------------------------------------------------------------------

  protected dispatch(event: DfsLegEvent, detail: LegEventDetail = {}): boolean {
    const row = lookup(DFS_LEG_TABLE, this.state, event);
    if (row === undefined) {
      this.log.warn({ code: 'HOTLINE_E_DFS_CALL_STATE', state: this.state, event }, 'call leg: event not allowed in this state');
      return false;
    }
    this.log.debug({ from: this.state, to: row.next, event }, 'call leg transition');
    // The first cause wins: a BYE that follows our hang-up does not rewrite why the call ended.
    if (this.state !== 'ended') this.detail = { ...this.detail, ...detail };
    this.state = row.next;
    for (const action of row.actions) this.run(action);
    this.afterTransition();
    return true;
  }

  protected afterTransition(): void {}

  protected run(action: DfsLegAction): void {
    switch (action) {
      case 'stopAnswerTimer':
        this.answerTimer?.cancel();
        this.answerTimer = undefined;
        return;
      case 'sendBye':
        this.sendBye();
        return;
      case 'releaseChannel':
        if (this.channel !== undefined) void this.channel.release();
        return;
      case 'release':
        this.release();
        return;
      default:
        this.log.error({ code: 'HOTLINE_E_DFS_CALL_STATE', action }, 'call leg action not implemented');
    }
  }

  protected sendBye(): void {
    const dialog = this.dialog;
    if (dialog === undefined || !dialog.connected) return;
    markHandled(dialog.destroy(), this.log, 'BYE').catch((err: unknown) => this.log.debug({ err: describeError(err) }, 'BYE not sent (dialog already gone)'));
  }

  private release(): void {
    this.answerTimer?.cancel();
    this.answerTimer = undefined;
    this.ctx.legEnded(this);
    const ev: HangupEvent = { by: this.detail.by ?? 'local', cause: this.detail.cause ?? 'normal' };
    this.log.info({ by: ev.by, cause: ev.cause }, 'call leg ended');
    this.listeners.hungUp(ev);
  }

  private onInfo(req: SrfRequest, res: SrfResponse): void {
    const body = Buffer.from(req.body ?? '', 'utf8');
    const digit = dtmfFromInfo(req.get('content-type'), body);
    if (digit === undefined) {
      // RFC 6086 legacy INFO: an empty INFO is a keep-alive; other bodies are not ours.
      if (body.length === 0) res.send(200);
      else res.send(415, { headers: { Accept: DTMF_INFO_TYPES.join(', ') } });
      return;
    }
    if (digit === null) {
      res.send(400, 'Bad Request (unreadable DTMF)');
      return;
    }
    res.send(200);
    this.receiveDtmf({ digit, source: 'sip-info' satisfies DtmfSource });
  }

  /** §14.2 re-INVITE from the phone: FreeSWITCH answers the new offer; without an offer we repeat ours. */
  private onReinvite(req: SrfRequest, res: SrfResponse): void {
    const offer = req.body ?? '';
    const channel = this.channel;
    const dialog = this.dialog;
    if (this.state !== 'active' || channel === undefined || dialog === undefined) {
      res.send(500, { headers: { 'Retry-After': '2' } });
      return;
    }
    if (offer.trim().length === 0) {
      res.send(200, { body: dialog.local.sdp, headers: { 'Content-Type': SDP } });
      return;
    }
    channel
      .updateRemoteSdp(offer)
      .then((answer) => res.send(200, { body: answer, headers: { 'Content-Type': SDP } }))
      .catch((err: unknown) => {
        this.log.warn({ err: describeError(err) }, 're-INVITE: FreeSWITCH refused the new offer; the session stays as it was');
        res.send(488);
      });
  }

  protected requireChannel(op: string): FsChannel {
    if (this.channel === undefined) throw new DfsError('HOTLINE_E_DFS_CALL_STATE', `${op}() needs an answered call (leg ${this.legId})`);
    return this.channel;
  }

  protected safely(fn: () => void): void {
    this.listeners.safely(fn);
  }
}

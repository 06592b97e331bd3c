/**
 * The production CallControl: drachtio-server is the SIP front (INVITE, REGISTER, CANCEL, BYE, INFO), and
 * FreeSWITCH the media server, driven through drachtio-srf and drachtio-fsmrf. Every leg's media is a
 * FreeSWITCH channel; prompts, music on hold, recording and bridging run there.
 *
 * What it adds around the libraries: bounded reconnects and health for both connections (new INVITEs get 503
 * while FreeSWITCH is away), admission control against overload (503 + Retry-After), a safety-net hang-up
 * scheduled on every channel, reconciliation of FreeSWITCH's channel list on (re)connect, and guards so that
 * neither library can throw or reject past us. Every log line about a call carries its `callId`.
 */
import type { Logger } from 'pino';
import type {
  CallControl,
  CallControlHandlers,
  CallControlHealth,
  CallLeg,
  DialRequest,
  RingAttempt,
  RingRequest,
} from '../../../ports/call-control.js';
import { dialAsRing } from '../dial-request.js';
import type { Clock } from '../../../ports/clock.js';
import { newCallId } from '../../../domain/shared/ids.js';
import { SlidingWindowCounter, decideAdmission, type AdmissionDecision, type AdmissionLimits, type AdmissionReason } from './admission.js';
import type { BackoffOptions } from './backoff.js';
import { DfsInboundCall, type InboundContext } from './dfs-inbound-call.js';
import { DfsLeg } from './dfs-leg.js';
import { DfsRing, type RingContext } from './dfs-ring.js';
import { DrachtioLink } from './drachtio-link.js';
import { DfsError, describeError } from './errors.js';
import { LoopDelayMonitor, type EventLoopDelaySource } from './event-loop-monitor.js';
import { FsChannel } from './fs-channel.js';
import { markHandled } from './fsmrf-guards.js';
import { MediaServerLink } from './media-server-link.js';
import { handleRegister } from './register-bridge.js';
import { reconcileChannels } from './reconcile.js';
import { SafetyNet } from './safety-net.js';
import { withTimeout } from './timeouts.js';
import type { ChannelControl, DrachtioLibraries, SrfRequest, SrfResponse } from './types.js';

export interface DrachtioFreeswitchOptions {
  drachtio: { host: string; port: number; secret: string; reconnectMaxDelayMs: number };
  freeswitch: {
    host: string;
    port: number;
    secret: string;
    listenAddress: string;
    /** Default shared-socket (types.ts). */
    channelControl?: ChannelControl;
    profile: string;
    maxChannels: number;
    safetyHangupSec: number;
    instanceId: string;
  };
  admission: Omit<AdmissionLimits, 'maxChannels'>;
  logger: Logger;
  clock: Clock;
  /** The libraries (real ones by default, loaded at start()); unit tests pass fakes. */
  libraries?: DrachtioLibraries;
  eventLoop?: EventLoopDelaySource;
  /** An inbound call neither answered nor rejected by then is ended with 480. Default 60. */
  answerTimeoutSec?: number;
  /** start() waits this long for both connections, then returns anyway (health says what is missing). */
  startWaitSec?: number;
  /** Time limit to get a FreeSWITCH channel. Default 8000. */
  channelOpenTimeoutMs?: number;
  /** Channels younger than this are never reconciled away. Default 30. */
  reconcileGraceSec?: number;
  mediaServerBackoff?: BackoffOptions;
  loadPollMs?: number;
  /** How long close() waits for channels to hang up. Default 3000. */
  closeGraceMs?: number;
}

type State = 'new' | 'running' | 'closing' | 'closed';

export class DrachtioFreeswitchCallControl implements CallControl {
  readonly name = 'drachtio-freeswitch';
  private state: State = 'new';
  private handlers: CallControlHandlers | undefined;
  private libs: DrachtioLibraries | undefined;
  private drachtio: DrachtioLink | undefined;
  private ms: MediaServerLink | undefined;
  private safety: SafetyNet | undefined;
  private eventLoop: EventLoopDelaySource | undefined;
  private readonly legs = new Map<string, DfsLeg>();
  private readonly rings = new Set<DfsRing>();
  private readonly inSetup = new Set<DfsInboundCall>();
  private readonly channels = new Map<string, FsChannel>();
  private readonly releases = new Set<Promise<void>>();
  private pendingChannels = 0;
  private readonly opened = new SlidingWindowCounter(1000);
  private readonly shedCounts: Partial<Record<AdmissionReason, number>> = {};
  private admitted = 0;
  private lastShedLogMs = 0;
  private readonly log: Logger;
  private readonly limits: AdmissionLimits;

  constructor(private readonly opts: DrachtioFreeswitchOptions) {
    this.log = opts.logger.child({ component: 'telephony' });
    this.limits = { ...opts.admission, maxChannels: opts.freeswitch.maxChannels };
  }

  async start(handlers: CallControlHandlers): Promise<void> {
    if (this.state !== 'new') throw new DfsError('HOTLINE_E_DFS_NOT_RUNNING', 'start() called twice');
    const { clock } = this.opts;
    const libs = this.opts.libraries ?? (await import('./libraries.js')).loadDrachtioLibraries(this.log, clock);
    this.libs = libs;
    this.handlers = handlers;
    this.eventLoop = this.opts.eventLoop ?? new LoopDelayMonitor();
    const d = this.opts.drachtio;
    const f = this.opts.freeswitch;
    this.drachtio = new DrachtioLink({
      libs,
      host: d.host,
      port: d.port,
      secret: d.secret,
      reconnectMaxDelayMs: d.reconnectMaxDelayMs,
      clock,
      logger: this.log.child({ link: 'drachtio' }),
      onInvite: (req, res) => this.onInvite(req, res),
      onRegister: (req, res) => handleRegister(this.handlers?.registrar, req, res, this.log),
    });
    this.ms = new MediaServerLink({
      libs,
      srf: () => this.drachtio?.srf,
      host: f.host,
      port: f.port,
      secret: f.secret,
      listenAddress: f.listenAddress,
      channelControl: f.channelControl ?? 'shared-socket',
      profile: f.profile,
      clock,
      logger: this.log.child({ link: 'freeswitch' }),
      ...(this.opts.mediaServerBackoff !== undefined ? { backoff: this.opts.mediaServerBackoff } : {}),
      ...(this.opts.loadPollMs !== undefined ? { loadPollMs: this.opts.loadPollMs } : {}),
      onUp: () => void this.reconcile(),
    });
    const ms = this.ms;
    this.safety = new SafetyNet({ api: (cmd) => ms.api(cmd), clock, horizonSec: f.safetyHangupSec, logger: this.log });
    this.state = 'running';
    this.drachtio.start();
    this.ms.start();
    const waitMs = (this.opts.startWaitSec ?? 10) * 1000;
    const [drachtioUp, fsUp] = await Promise.all([this.drachtio.whenUp(waitMs, clock), this.ms.whenUp(waitMs)]);
    if (!drachtioUp || !fsUp) {
      this.log.error(
        { drachtio: this.drachtio.status(), freeswitch: this.ms.status() },
        'telephony not fully connected yet: calls get 503 until both drachtio-server and FreeSWITCH are reachable (retrying)',
      );
    }
  }

  /** A callback to a caller's own number through the trunk: rung like an agent's phone (dial-request.ts). */
  dial(req: DialRequest): RingAttempt {
    return this.ring(dialAsRing(req));
  }

  ring(req: RingRequest): RingAttempt {
    const log = this.log.child({ callId: req.callId, agentId: req.agentId });
    if (this.state !== 'running' || this.drachtio?.state !== 'up' || this.ms?.state !== 'up') {
      const reason = this.state !== 'running' ? 'call control is not running' : 'drachtio-server or FreeSWITCH is not connected';
      log.warn({ reason }, 'ring refused');
      return { outcome: Promise.resolve({ kind: 'failed', reason }), onRinging: () => undefined, cancel: () => undefined };
    }
    const ring = new DfsRing(this.ringContext(), req, log);
    this.rings.add(ring);
    void ring.outcome.then(() => this.rings.delete(ring));
    ring.start();
    return ring;
  }

  async bridge(a: CallLeg, b: CallLeg): Promise<void> {
    const legA = this.ownLeg(a);
    const legB = this.ownLeg(b);
    if (legA.ended || legB.ended) throw new DfsError('HOTLINE_E_DFS_CALL_STATE', 'bridge() with an ended leg');
    const ca = legA.fsChannel;
    const cb = legB.fsChannel;
    if (ca === undefined || cb === undefined) throw new DfsError('HOTLINE_E_DFS_CALL_STATE', 'bridge() needs two answered legs');
    await ca.bridge(cb);
    legA.bridged = true;
    legB.bridged = true;
    const callId = legA instanceof DfsInboundCall ? legA.callId : legB instanceof DfsInboundCall ? legB.callId : legA.legId;
    this.log.info({ callId, legA: legA.legId, legB: legB.legId }, 'legs bridged');
  }

  health(): CallControlHealth {
    const drachtio = this.drachtio?.status();
    const freeswitch = this.ms?.status();
    const nowMs = this.opts.clock.nowMs();
    return {
      ok: this.state === 'running' && drachtio?.state === 'up' && freeswitch?.state === 'up',
      details: {
        drachtio: drachtio ?? { state: 'idle' },
        freeswitch: freeswitch ?? { state: 'idle' },
        legs: this.legs.size,
        callsInSetup: this.inSetup.size,
        ringing: this.rings.size,
        channels: this.channels.size,
        channelsOpening: this.pendingChannels,
        channelsOpenedLastSecond: this.opened.count(nowMs),
        admission: { limits: this.limits, admitted: this.admitted, shed: { ...this.shedCounts } },
        eventLoopDelayMs: this.eventLoop?.recentDelayMs() ?? null,
      },
    };
  }

  async close(): Promise<void> {
    if (this.state === 'closed' || this.state === 'closing') return;
    const wasRunning = this.state === 'running';
    this.state = 'closing';
    for (const ring of this.rings) ring.cancel();
    for (const leg of [...this.legs.values()]) await leg.hangup('shutdown');
    if (wasRunning && this.releases.size > 0) {
      let timer: { cancel(): void } | undefined;
      await Promise.race([
        Promise.all([...this.releases]),
        new Promise<void>((resolve) => (timer = this.opts.clock.setTimer(this.opts.closeGraceMs ?? 3000, resolve))),
      ]);
      timer?.cancel();
    }
    this.ms?.close();
    await this.drachtio?.close();
    this.eventLoop?.close();
    this.legs.clear();
    this.rings.clear();
    this.inSetup.clear();
    this.state = 'closed';
  }

  // ---- inbound ------------------------------------------------------------------------------------------

  private onInvite(req: SrfRequest, res: SrfResponse): void {
    try {
      if (this.state !== 'running' || this.handlers === undefined) {
        res.send(503, { headers: { 'Retry-After': '5' } });
        return;
      }
      const contentType = req.get('content-type')?.split(';')[0]?.trim().toLowerCase();
      if ((req.body ?? '').length > 0 && contentType !== 'application/sdp') {
        res.send(415, { headers: { Accept: 'application/sdp' } });
        return;
      }
      const decision = this.admit();
      if (!decision.admit) {
        this.shed(decision, req);
        res.send(503, { headers: { 'Retry-After': String(decision.retryAfterSec) } });
        return;
      }
      this.admitted += 1;
      const callId = newCallId(this.opts.clock.nowMs());
      const log = this.log.child({ callId, sipCallId: req.get('call-id') });
      const call = new DfsInboundCall(callId, this.inboundContext(), log, req, res, (this.opts.answerTimeoutSec ?? 60) * 1000);
      this.legs.set(call.legId, call);
      this.inSetup.add(call);
      log.info({ from: call.from, to: call.to, source: call.source }, 'inbound call offered');
      try {
        this.handlers.onInboundCall(call);
      } catch (err) {
        log.error({ err: describeError(err) }, 'onInboundCall handler failed: rejecting the call');
        call.reject(500).catch(() => undefined);
      }
    } catch (err) {
      this.log.error({ err: describeError(err) }, 'INVITE handling failed');
      try {
        res.send(500);
      } catch {
        // the transaction is gone
      }
    }
  }

  private admit(): AdmissionDecision {
    const nowMs = this.opts.clock.nowMs();
    let withoutAgent = 0;
    for (const leg of this.legs.values()) if (leg instanceof DfsInboundCall && !leg.ended && !leg.bridged) withoutAgent += 1;
    const delay = this.eventLoop?.recentDelayMs();
    const load = this.ms?.load;
    return decideAdmission(this.limits, {
      nowMs,
      mediaServerUp: this.ms?.state === 'up',
      callsInSetup: this.inSetup.size,
      channels: this.channels.size + this.pendingChannels,
      callsWithoutAgentChannel: withoutAgent,
      channelsOpenedLastSecond: this.opened.count(nowMs),
      ...(load !== undefined ? { fsLoad: load } : {}),
      ...(delay !== undefined ? { eventLoopDelayMs: delay } : {}),
    });
  }

  /** Counts every refusal; logs at most one line per 5 s so that shedding load does not cost more load. */
  private shed(decision: AdmissionDecision & { admit: false }, req: SrfRequest): void {
    this.shedCounts[decision.reason] = (this.shedCounts[decision.reason] ?? 0) + 1;
    const nowMs = this.opts.clock.nowMs();
    if (nowMs - this.lastShedLogMs >= 5000) {
      this.lastShedLogMs = nowMs;
      this.log.warn({ reason: decision.reason, detail: decision.detail, retryAfterSec: decision.retryAfterSec, sipCallId: req.get('call-id'), shed: { ...this.shedCounts } }, 'INVITE refused with 503: overload protection');
    }
  }

  // ---- channels -----------------------------------------------------------------------------------------

  private async openChannel(callId: string, remoteSdp: string | undefined, log: Logger): Promise<FsChannel> {
    const ms = this.ms?.mediaServer;
    const safety = this.safety;
    if (ms === undefined || safety === undefined || this.state !== 'running') {
      throw new DfsError('HOTLINE_E_DFS_MEDIA_SERVER', 'FreeSWITCH is not connected');
    }
    const f = this.opts.freeswitch;
    const headers = { 'X-Hotline-Instance': f.instanceId, 'X-Hotline-Safety-Sec': String(f.safetyHangupSec), 'X-Hotline-Call-Id': callId };
    const { clock } = this.opts;
    this.pendingChannels += 1;
    this.opened.record(clock.nowMs());
    try {
      const created = markHandled(ms.createEndpoint({ ...(remoteSdp !== undefined ? { remoteSdp } : {}), headers }), log, 'createEndpoint');
      const ep = await withTimeout(created, this.opts.channelOpenTimeoutMs ?? 8000, clock, 'FreeSWITCH channel', (late) => {
        log.warn({ uuid: late.uuid }, 'a FreeSWITCH channel arrived after its time limit: releasing it');
        markHandled(late.destroy(), log, 'late endpoint.destroy').catch(() => undefined);
      });
      const channel = new FsChannel(
        ep,
        { api: (cmd) => this.ms!.api(cmd), safety, clock, trackRelease: (done) => this.trackRelease(done) },
        log.child({ uuid: ep.uuid }),
      );
      this.channels.set(channel.uuid, channel);
      channel.onGone(() => this.channels.delete(channel.uuid));
      if (this.state !== 'running') {
        void channel.release();
        throw new DfsError('HOTLINE_E_DFS_NOT_RUNNING', 'shutting down');
      }
      return channel;
    } finally {
      this.pendingChannels -= 1;
    }
  }

  /** close() waits for the channels being hung up (release() never rejects). */
  private trackRelease(done: Promise<void>): void {
    this.releases.add(done);
    void done.finally(() => this.releases.delete(done));
  }

  private async reconcile(): Promise<void> {
    const ms = this.ms;
    if (ms === undefined) return;
    try {
      const result = await reconcileChannels({
        api: (cmd) => ms.api(cmd),
        known: () => new Set(this.channels.keys()),
        nowSec: () => Math.floor(this.opts.clock.nowMs() / 1000),
        graceSec: this.opts.reconcileGraceSec ?? 30,
        instanceId: this.opts.freeswitch.instanceId,
      });
      for (const uuid of result.lost) this.channels.get(uuid)?.lost();
      if (result.killed.length > 0 || result.lost.length > 0) {
        this.log.warn({ killed: result.killed, lost: result.lost, channelsOnServer: result.channelsOnServer }, 'reconciled FreeSWITCH channels with our calls');
      } else {
        this.log.info({ channelsOnServer: result.channelsOnServer }, 'FreeSWITCH channels reconciled: nothing to fix');
      }
    } catch (err) {
      this.log.warn({ err: describeError(err) }, 'reconciliation of FreeSWITCH channels failed');
    }
  }

  // ---- contexts -----------------------------------------------------------------------------------------

  private inboundContext(): InboundContext {
    return {
      clock: this.opts.clock,
      srf: () => this.drachtio?.srf,
      openChannel: (call, remoteSdp) => this.openChannel(call.callId, remoteSdp, call.log),
      setupDone: (call) => this.inSetup.delete(call),
      legEnded: (leg) => this.legEnded(leg),
    };
  }

  private ringContext(): RingContext {
    return {
      srf: () => this.drachtio?.srf,
      openChannel: (req, log) => this.openChannel(req.callId, undefined, log),
      legStarted: (leg) => this.legs.set(leg.legId, leg),
      legEnded: (leg) => this.legEnded(leg),
      inviteHeaders: { 'User-Agent': 'hotline' },
    };
  }

  private legEnded(leg: DfsLeg): void {
    if (this.legs.get(leg.legId) === leg) this.legs.delete(leg.legId);
    if (leg instanceof DfsInboundCall) this.inSetup.delete(leg);
  }

  private ownLeg(leg: CallLeg): DfsLeg {
    if (!(leg instanceof DfsLeg)) throw new DfsError('HOTLINE_E_DFS_CALL_STATE', 'bridge() with a leg of another adapter');
    return leg;
  }
}

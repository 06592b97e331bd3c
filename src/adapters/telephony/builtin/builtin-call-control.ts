/**
 * The built-in CallControl: our SIP stack (sip/) for signalling, a MediaEngine + SdpNegotiator for RTP.
 * Inbound INVITEs become InboundSipCall legs handed to the app; ring() sends INVITEs to agents' phones;
 * REGISTERs go to the app's Registrar. Every log line about a call carries `callId` (the inbound leg's id,
 * or the business call id given to ring()).
 *
 * The adapter owns the MediaEngine it is given: start() starts it (with our DTMF listener), close() closes it.
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
import { InboundSipCall } from './builtin-inbound-call.js';
import { SipLeg, type LegContext } from './builtin-leg.js';
import { OutboundRing, type RingContext } from './builtin-ring.js';
import type { MediaEngine, SdpNegotiator } from './media/media-engine.js';
import { readRegister } from './register-request.js';
import { SipError } from './sip/errors.js';
import type { IncomingRequest } from './sip/incoming-request.js';
import { callIdOf } from './sip/message.js';
import { newCallId } from '../../../domain/shared/ids.js';
import { SipStack } from './sip/sip-stack.js';
import { systemTimers, type SipTimers, type SipTiming } from './sip/timers.js';
import { formatPeer } from './sip/transport/sip-transport.js';
import { dialAsRing } from '../dial-request.js';

export interface BuiltinSipOptions {
  /** Bind address (default in config: 127.0.0.1). */
  host: string;
  /** UDP and TCP port (5060 by default in config; 0 picks a free one, see BuiltinCallControl.port). */
  port: number;
  udp: boolean;
  tcp: boolean;
  /** Address to advertise in Via/Contact/From when it differs from `host`. */
  publicHost?: string;
  /** RFC 3261 T1/T2/T4 overrides (tests); production keeps 500/4000/5000 ms. */
  timing?: Partial<SipTiming>;
  userAgent?: string;
}

/** Defaults for the config loader: loopback only, both transports on 5060. */
export const DEFAULT_BUILTIN_SIP_OPTIONS: Readonly<BuiltinSipOptions> = Object.freeze({
  host: '127.0.0.1',
  port: 5060,
  udp: true,
  tcp: true,
});

export interface BuiltinCallControlOptions {
  sip: BuiltinSipOptions;
  logger: Logger;
  media: MediaEngine;
  sdp: SdpNegotiator;
  timers?: SipTimers;
  /** An inbound call neither answered nor rejected by then is ended with 480. Default 60. */
  answerTimeoutSec?: number;
  /** How long close() waits for BYE responses before closing sockets. Default 2. */
  closeGraceSec?: number;
}

export class BuiltinCallControl implements CallControl {
  readonly name = 'builtin';
  private readonly stack: SipStack;
  private readonly timers: SipTimers;
  private readonly log: Logger;
  private readonly legs = new Map<string, SipLeg>();
  private readonly rings = new Set<OutboundRing>();
  private readonly ctx: RingContext;
  private handlers: CallControlHandlers | undefined;
  private state: 'new' | 'running' | 'closing' | 'closed' = 'new';

  constructor(private readonly opts: BuiltinCallControlOptions) {
    this.log = opts.logger;
    this.timers = opts.timers ?? systemTimers;
    this.stack = new SipStack({
      host: opts.sip.host,
      port: opts.sip.port,
      udp: opts.sip.udp,
      tcp: opts.sip.tcp,
      ...(opts.sip.publicHost !== undefined ? { publicHost: opts.sip.publicHost } : {}),
      ...(opts.sip.timing !== undefined ? { timing: opts.sip.timing } : {}),
      userAgent: opts.sip.userAgent ?? 'hotline',
      logger: opts.logger.child({ component: 'sip' }),
      timers: this.timers,
    });
    const ctx: LegContext = {
      stack: this.stack,
      media: opts.media,
      sdp: opts.sdp,
      timers: this.timers,
      legReleased: (leg) => {
        if (this.legs.get(leg.legId) === leg) this.legs.delete(leg.legId);
      },
    };
    this.ctx = { ...ctx, legStarted: (leg) => this.legs.set(leg.legId, leg) };
  }

  /** The bound SIP port (after start()). */
  get port(): number {
    return this.stack.port;
  }

  async start(handlers: CallControlHandlers): Promise<void> {
    if (this.state !== 'new') throw new SipError('HOTLINE_E_SIP_STACK_STATE', 'start() called twice');
    this.handlers = handlers;
    await this.opts.media.start({
      onDtmf: (sessionId, digit) => this.legs.get(sessionId)?.receiveDtmf(digit, 'rfc4733'),
    });
    try {
      await this.stack.start({
        onInvite: (req) => this.onInvite(req),
        onRegister: (req) => this.onRegister(req),
      });
    } catch (err) {
      await this.opts.media.close();
      throw err;
    }
    this.state = 'running';
  }

  ring(req: RingRequest): RingAttempt {
    if (this.state !== 'running') {
      return {
        outcome: Promise.resolve({ kind: 'failed', reason: 'call control is not running' }),
        onRinging: () => undefined,
        cancel: () => undefined,
      };
    }
    const ring = new OutboundRing(this.ctx, req, this.log.child({ callId: req.callId, agentId: req.agentId }));
    this.rings.add(ring);
    void ring.outcome.then(() => this.rings.delete(ring));
    ring.start();
    return ring;
  }

  /** A callback: the ring machinery, aimed at a trunk instead of a registered phone. */
  dial(req: DialRequest): RingAttempt {
    return this.ring(dialAsRing(req));
  }

  async bridge(a: CallLeg, b: CallLeg): Promise<void> {
    const legA = this.ownLeg(a);
    const legB = this.ownLeg(b);
    if (legA.ended || legB.ended) throw new SipError('HOTLINE_E_SIP_CALL_STATE', 'bridge() with an ended leg');
    const sa = legA.mediaSessionId;
    const sb = legB.mediaSessionId;
    if (sa === undefined || sb === undefined) {
      throw new SipError('HOTLINE_E_SIP_CALL_STATE', 'bridge() needs two answered legs');
    }
    this.opts.media.bridge(sa, sb);
    legA.bridged = true;
    legB.bridged = true;
    const callId = legA instanceof InboundSipCall ? legA.callId : legB instanceof InboundSipCall ? legB.callId : legA.legId;
    this.log.info({ callId, legA: legA.legId, legB: legB.legId }, 'legs bridged');
  }

  health(): CallControlHealth {
    const s = this.stack.status();
    const transportsUp = (!this.opts.sip.udp || s.udp) && (!this.opts.sip.tcp || s.tcp);
    return {
      ok: this.state === 'running' && transportsUp,
      details: {
        udp: s.udp,
        tcp: s.tcp,
        activeDialogs: s.dialogs,
        legs: this.legs.size,
        ringing: this.rings.size,
        transactions: s.transactions,
        tcpConnections: s.tcpConnections,
        media: this.opts.media.stats(),
      },
    };
  }

  async close(): Promise<void> {
    if (this.state === 'closed' || this.state === 'closing') return;
    const wasRunning = this.state === 'running';
    this.state = 'closing';
    for (const ring of this.rings) ring.cancel();
    const legs = [...this.legs.values()];
    for (const leg of legs) await leg.hangup('shutdown');
    const hangups = legs.map((leg) => leg.settled());
    if (wasRunning && hangups.length > 0) {
      // Give the BYEs a moment to be answered; never wait on a silent peer for 32 s.
      let grace: { cancel(): void } | undefined;
      await Promise.race([
        Promise.all(hangups),
        new Promise<void>((resolve) => (grace = this.timers.setTimer((this.opts.closeGraceSec ?? 2) * 1000, resolve))),
      ]);
      grace?.cancel();
    }
    await this.stack.close();
    if (wasRunning) await this.opts.media.close();
    this.legs.clear();
    this.rings.clear();
    this.state = 'closed';
  }

  private onInvite(req: IncomingRequest): void {
    if (this.state !== 'running' || this.handlers === undefined) {
      req.respond(503);
      return;
    }
    const sipCallId = callIdOf(req.request);
    const callId = newCallId(Date.now());
    const log = this.log.child({ callId, sipCallId });
    if (this.legs.has(sipCallId)) {
      req.respond(482); // §8.2.2.2: same Call-ID without a To tag: a merged/looped request
      return;
    }
    const contentType = req.request.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
    if (req.request.body.length > 0 && contentType !== 'application/sdp') {
      req.respond(415, { headers: [['Accept', 'application/sdp']] });
      return;
    }
    const call = new InboundSipCall(callId, this.ctx, log, req, (this.opts.answerTimeoutSec ?? 60) * 1000);
    this.legs.set(call.legId, call);
    log.info({ from: call.from, to: call.to, source: call.source }, 'inbound call offered');
    try {
      this.handlers.onInboundCall(call);
    } catch (err) {
      log.error({ err }, 'onInboundCall handler failed: rejecting the call');
      call.reject(500).catch(() => undefined);
    }
  }

  private onRegister(req: IncomingRequest): void {
    const registrar = this.handlers?.registrar;
    if (registrar === undefined || this.state !== 'running') {
      req.respond(503);
      return;
    }
    const read = readRegister(req.request, req.source);
    if (!read.ok) {
      req.respond(400, { reason: `Bad Request (${read.reason})` });
      return;
    }
    const result = registrar.handleRegister(read.request);
    this.log.debug(
      { agentId: read.request.aorUser, status: result.status, source: formatPeer(req.source) },
      'REGISTER answered',
    );
    req.respond(result.status, { reason: result.reason, headers: result.headers });
  }

  private ownLeg(leg: CallLeg): SipLeg {
    if (!(leg instanceof SipLeg)) throw new SipError('HOTLINE_E_SIP_CALL_STATE', 'bridge() with a leg of another adapter');
    return leg;
  }
}

/**
 * The registrar (RFC 3261 §10.3) behind every telephony adapter: digest authentication (§22, RFC 2617 /
 * RFC 7616 MD5, qop=auth or none) with expiring, replay-checked nonces, a brute-force throttle, and one
 * binding per agent with expiry on the injected Clock.
 *
 * Choices:
 * - The agent id is the user part of the To URI (the AOR); the digest username must be the same.
 * - An unknown user is challenged like anybody else (no hint at the first step), and then gets 403.
 * - Throttled hosts get 403 (see auth-throttle.ts for why not 429).
 * - One binding per agent: a REGISTER with another Contact replaces it ('registered'); the same Contact
 *   from the same flow is a 'refreshed'. Only the first Contact of a REGISTER is used.
 * - Passwords and digests are never logged.
 */
import type { Logger } from 'pino';
import type { AgentContact } from '../../ports/call-control.js';
import type { Clock, TimerHandle } from '../../ports/clock.js';
import type {
  RegisterRequest,
  RegisterResponse,
  Registrar,
  RegistrationChange,
} from '../../ports/registrar.js';
import { AuthThrottle } from './auth-throttle.js';
import { digestResponse, digestsEqual, formatChallenge, parseDigestAuthorization } from './digest.js';
import { NonceService } from './nonce-service.js';

export interface SipRegistrarOptions {
  realm: string;
  clock: Clock;
  /** The agent's SIP password, or undefined for an unknown agent. */
  credentials: (agentId: string) => string | undefined;
  /** Nonce lifetime; an older nonce gets 401 with stale=true. Default 300. */
  nonceTtlSec?: number;
  /** Below this (and not 0): 423 with Min-Expires. Default 60. */
  minExpiresSec?: number;
  /** Longer requests are shortened to this. Default 3600. */
  maxExpiresSec?: number;
  /** When the REGISTER names no expiry. Default 3600. */
  defaultExpiresSec?: number;
  /** Failed authentications per host before blocking. Default 5 within 60 s, blocked 300 s. */
  throttle?: { maxFailures?: number; windowSec?: number; blockSec?: number };
  /** HMAC key for nonces (default random). */
  nonceSecret?: Buffer;
  logger?: Logger;
}

interface Binding {
  contact: AgentContact;
  callId: string;
  cseq: number;
  timer: TimerHandle;
}

const MD5 = 'md5';

export class SipRegistrar implements Registrar {
  private readonly nonces: NonceService;
  private readonly throttle: AuthThrottle;
  private readonly bindings = new Map<string, Binding>();
  private readonly listeners: Array<(change: RegistrationChange) => void> = [];
  private readonly minExpiresSec: number;
  private readonly maxExpiresSec: number;
  private readonly defaultExpiresSec: number;

  constructor(private readonly opts: SipRegistrarOptions) {
    this.nonces = new NonceService({
      clock: opts.clock,
      ttlMs: (opts.nonceTtlSec ?? 300) * 1000,
      ...(opts.nonceSecret !== undefined ? { secret: opts.nonceSecret } : {}),
    });
    this.throttle = new AuthThrottle({
      clock: opts.clock,
      maxFailures: opts.throttle?.maxFailures ?? 5,
      windowMs: (opts.throttle?.windowSec ?? 60) * 1000,
      blockMs: (opts.throttle?.blockSec ?? 300) * 1000,
    });
    this.minExpiresSec = opts.minExpiresSec ?? 60;
    this.maxExpiresSec = opts.maxExpiresSec ?? 3600;
    this.defaultExpiresSec = opts.defaultExpiresSec ?? 3600;
  }

  onChange(fn: (change: RegistrationChange) => void): void {
    this.listeners.push(fn);
  }

  contactOf(agentId: string): AgentContact | undefined {
    return this.bindings.get(agentId)?.contact;
  }

  close(): void {
    for (const b of this.bindings.values()) b.timer.cancel();
    this.bindings.clear();
  }

  handleRegister(req: RegisterRequest): RegisterResponse {
    const log = { agentId: req.aorUser, source: `${req.sourceHost}:${req.sourcePort}`, sipCallId: req.callId };
    if (this.throttle.blockedForMs(req.sourceHost) > 0) {
      this.opts.logger?.warn(log, 'REGISTER refused: source throttled after failed authentications');
      return { status: 403, reason: 'Forbidden (too many failed attempts)', headers: [] };
    }
    if (req.authorization === undefined) return this.challenge(false);
    const creds = parseDigestAuthorization(req.authorization);
    if (creds === null || creds.realm !== this.opts.realm) return this.challenge(false);
    if (creds.algorithm !== undefined && creds.algorithm.toLowerCase() !== MD5) return this.challenge(false);
    if (creds.qop !== undefined && creds.qop !== 'auth') return this.challenge(false);
    if (creds.qop === 'auth' && (creds.cnonce === undefined || !/^[0-9a-fA-F]{8}$/.test(creds.nc ?? ''))) {
      return { status: 400, reason: 'Bad Request (incomplete digest credentials)', headers: [] };
    }
    if (creds.opaque !== undefined && creds.opaque !== this.nonces.opaque) return this.challenge(false);
    if (creds.uri !== req.requestUri) {
      return { status: 400, reason: 'Bad Request (digest uri does not match Request-URI)', headers: [] };
    }
    const nonce = this.nonces.check(creds.nonce);
    if (nonce.kind === 'invalid') return this.challenge(false);

    const password = this.opts.credentials(creds.username);
    if (password === undefined || creds.username !== req.aorUser) {
      const blocked = this.throttle.recordFailure(req.sourceHost);
      this.opts.logger?.warn({ ...log, username: creds.username, blocked }, 'REGISTER refused: unknown user or AOR');
      return { status: 403, reason: 'Forbidden', headers: [] };
    }
    if (!digestsEqual(digestResponse(creds, req.method, password), creds.response)) {
      const blocked = this.throttle.recordFailure(req.sourceHost);
      this.opts.logger?.warn({ ...log, blocked }, 'REGISTER authentication failed');
      if (blocked) return { status: 403, reason: 'Forbidden (too many failed attempts)', headers: [] };
      return this.challenge(false);
    }
    // The credentials are right; now the nonce must be current and not replayed.
    if (nonce.kind === 'stale') return this.challenge(true);
    const nc = creds.qop === 'auth' ? parseInt(creds.nc!, 16) : undefined;
    if (this.nonces.use(creds.nonce, nonce.issuedAtMs, nc) === 'replay') {
      this.opts.logger?.warn(log, 'REGISTER refused: replayed nonce');
      return this.challenge(false);
    }
    this.throttle.recordSuccess(req.sourceHost);
    return this.updateBinding(req);
  }

  private challenge(stale: boolean): RegisterResponse {
    const header = formatChallenge({ realm: this.opts.realm, nonce: this.nonces.issue(), opaque: this.nonces.opaque, stale });
    return { status: 401, reason: 'Unauthorized', headers: [['WWW-Authenticate', header]] };
  }

  /** §10.3 steps 6-8 for an authenticated REGISTER. */
  private updateBinding(req: RegisterRequest): RegisterResponse {
    const agentId = req.aorUser;
    const existing = this.bindings.get(agentId);
    if (req.contactUri === undefined) return this.ok(existing); // a query: list the bindings
    if (existing !== undefined && existing.callId === req.callId && req.cseq <= existing.cseq) {
      return { status: 400, reason: 'Bad Request (out-of-order REGISTER)', headers: [] };
    }
    const expiresSec = req.expiresSec ?? this.defaultExpiresSec;
    if (req.contactUri === '*') {
      if (req.expiresSec !== 0) return { status: 400, reason: 'Bad Request (Contact * needs Expires: 0)', headers: [] };
      this.remove(agentId, 'unregistered');
      return this.ok(undefined);
    }
    if (expiresSec === 0) {
      if (existing !== undefined && existing.contact.contactUri === req.contactUri) this.remove(agentId, 'unregistered');
      return this.ok(this.bindings.get(agentId));
    }
    if (expiresSec < this.minExpiresSec) {
      return { status: 423, reason: 'Interval Too Brief', headers: [['Min-Expires', String(this.minExpiresSec)]] };
    }
    const grantedSec = Math.min(expiresSec, this.maxExpiresSec);
    const contact: AgentContact = {
      aor: `sip:${agentId}@${req.aorDomain}`,
      contactUri: req.contactUri,
      transport: req.transport,
      sourceHost: req.sourceHost,
      sourcePort: req.sourcePort,
      expiresAtMs: this.opts.clock.nowMs() + grantedSec * 1000,
    };
    const sameFlow =
      existing !== undefined &&
      existing.contact.contactUri === contact.contactUri &&
      existing.contact.sourceHost === contact.sourceHost &&
      existing.contact.sourcePort === contact.sourcePort &&
      existing.contact.transport === contact.transport;
    existing?.timer.cancel();
    const timer = this.opts.clock.setTimer(grantedSec * 1000, () => this.remove(agentId, 'expired'));
    const binding: Binding = { contact, callId: req.callId, cseq: req.cseq, timer };
    this.bindings.set(agentId, binding);
    this.opts.logger?.info(
      { agentId, contact: contact.contactUri, transport: contact.transport, expiresSec: grantedSec },
      sameFlow ? 'agent registration refreshed' : 'agent registered',
    );
    this.emit({ agentId, contact, reason: sameFlow ? 'refreshed' : 'registered' });
    return this.ok(binding);
  }

  private ok(binding: Binding | undefined): RegisterResponse {
    const headers: Array<[string, string]> = [];
    if (binding !== undefined) {
      const leftSec = Math.max(0, Math.round((binding.contact.expiresAtMs - this.opts.clock.nowMs()) / 1000));
      headers.push(['Contact', `<${binding.contact.contactUri}>;expires=${leftSec}`]);
    }
    return { status: 200, reason: 'OK', headers };
  }

  private remove(agentId: string, reason: 'unregistered' | 'expired'): void {
    const binding = this.bindings.get(agentId);
    if (binding === undefined) return;
    binding.timer.cancel();
    this.bindings.delete(agentId);
    this.opts.logger?.info({ agentId, reason }, 'agent binding removed');
    this.emit({ agentId, contact: null, reason });
  }

  private emit(change: RegistrationChange): void {
    for (const fn of this.listeners) {
      try {
        fn(change);
      } catch (err) {
        this.opts.logger?.error({ err, agentId: change.agentId }, 'registration listener failed');
      }
    }
  }
}

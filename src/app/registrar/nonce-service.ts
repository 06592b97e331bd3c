/**
 * Server-issued digest nonces (RFC 7616 §3.3, §5.4 and §5.5 on replay): `issued-at ‖ random ‖ HMAC`, so a
 * nonce is checked without remembering it, and expires after `ttlMs`.
 *
 * Replay protection needs memory, but only for nonces that passed authentication: we keep, per nonce, the
 * highest nonce-count seen (qop=auth) or the fact it was used (no qop), and drop entries once the nonce is
 * stale anyway. The table is capped; when it overflows, the oldest entries are evicted and every nonce issued
 * up to the newest evicted one is treated as stale from then on (the client just gets a fresh nonce), so a
 * full table can never let a replay through.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../ports/clock.js';

const TS_BYTES = 6; // ms since epoch fits in 48 bits until year 10889
const RAND_BYTES = 9;
const MAC_BYTES = 16;
/** Clock skew we accept for a nonce "issued in the future" (never by us; guards a tampered timestamp). */
const FUTURE_SKEW_MS = 5_000;

export type NonceCheck = { kind: 'valid'; issuedAtMs: number } | { kind: 'stale' } | { kind: 'invalid' };
export type NonceUse = 'fresh' | 'replay';

export interface NonceServiceOptions {
  clock: Clock;
  ttlMs: number;
  /** HMAC key; random per process by default (nonces then do not survive a restart, which is harmless). */
  secret?: Buffer;
  maxTracked?: number;
}

export class NonceService {
  private readonly secret: Buffer;
  private readonly used = new Map<string, { issuedAtMs: number; lastNc: number }>();
  private readonly maxTracked: number;
  private untrackedUpToMs = 0;
  readonly opaque: string;

  constructor(private readonly opts: NonceServiceOptions) {
    this.secret = opts.secret ?? randomBytes(32);
    this.maxTracked = opts.maxTracked ?? 100_000;
    this.opaque = this.mac(Buffer.from('opaque')).subarray(0, 12).toString('base64url');
  }

  issue(): string {
    const body = Buffer.alloc(TS_BYTES + RAND_BYTES);
    body.writeUIntBE(Math.floor(this.opts.clock.nowMs()), 0, TS_BYTES);
    randomBytes(RAND_BYTES).copy(body, TS_BYTES);
    return Buffer.concat([body, this.mac(body)]).toString('base64url');
  }

  check(nonce: string): NonceCheck {
    const raw = Buffer.from(nonce, 'base64url');
    if (raw.length !== TS_BYTES + RAND_BYTES + MAC_BYTES || raw.toString('base64url') !== nonce) {
      return { kind: 'invalid' };
    }
    const body = raw.subarray(0, TS_BYTES + RAND_BYTES);
    if (!timingSafeEqual(raw.subarray(TS_BYTES + RAND_BYTES), this.mac(body))) return { kind: 'invalid' };
    const issuedAtMs = body.readUIntBE(0, TS_BYTES);
    const now = this.opts.clock.nowMs();
    if (issuedAtMs > now + FUTURE_SKEW_MS) return { kind: 'invalid' };
    if (now - issuedAtMs >= this.opts.ttlMs) return { kind: 'stale' };
    if (issuedAtMs <= this.untrackedUpToMs && !this.used.has(nonce)) return { kind: 'stale' };
    return { kind: 'valid', issuedAtMs };
  }

  /**
   * Records an authenticated use. `nc` is the nonce-count (qop=auth) or undefined (no qop, single use).
   * A count not above the last one, or a second no-qop use, is a replay.
   */
  use(nonce: string, issuedAtMs: number, nc: number | undefined): NonceUse {
    const seen = this.used.get(nonce);
    if (seen !== undefined) {
      if (nc === undefined || nc <= seen.lastNc) return 'replay';
      seen.lastNc = nc;
      return 'fresh';
    }
    this.prune();
    this.used.set(nonce, { issuedAtMs, lastNc: nc ?? Number.MAX_SAFE_INTEGER });
    return 'fresh';
  }

  get trackedCount(): number {
    return this.used.size;
  }

  private prune(): void {
    const horizon = this.opts.clock.nowMs() - this.opts.ttlMs;
    if (this.used.size < this.maxTracked) {
      // Cheap path: entries are mostly in issue order, so expired ones sit at the front.
      for (const [nonce, entry] of this.used) {
        if (entry.issuedAtMs > horizon) break;
        this.used.delete(nonce);
      }
      return;
    }
    for (const [nonce, entry] of this.used) if (entry.issuedAtMs <= horizon) this.used.delete(nonce);
    while (this.used.size >= this.maxTracked) {
      const oldest = this.used.entries().next().value;
      if (oldest === undefined) break;
      this.used.delete(oldest[0]);
      this.untrackedUpToMs = Math.max(this.untrackedUpToMs, oldest[1].issuedAtMs);
    }
  }

  private mac(data: Buffer): Buffer {
    return createHmac('sha256', this.secret).update(data).digest().subarray(0, MAC_BYTES);
  }
}

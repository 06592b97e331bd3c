/**
 * Brute-force brake for digest auth: after `maxFailures` failed authentications from one source host within
 * `windowMs`, that host is blocked for `blockMs` (its REGISTERs get 403 without a challenge). A success
 * clears the host's record. Memory is bounded: only hosts with recent failures are kept, at most `maxHosts`.
 *
 * Why 403 and not 429 + Retry-After: 403 is a final "stop trying these credentials" every SIP phone
 * understands (RFC 3261 §21.4.4), while 429 (RFC 6228) is little known by phones and some retry at once.
 */
import type { Clock } from '../../ports/clock.js';

export interface AuthThrottleOptions {
  clock: Clock;
  maxFailures: number;
  windowMs: number;
  blockMs: number;
  maxHosts?: number;
}

interface HostRecord {
  failuresAtMs: number[];
  blockedUntilMs: number;
}

export class AuthThrottle {
  private readonly hosts = new Map<string, HostRecord>();
  private readonly maxHosts: number;

  constructor(private readonly opts: AuthThrottleOptions) {
    this.maxHosts = opts.maxHosts ?? 10_000;
  }

  /** Milliseconds left on the host's block, or 0 when it may try. */
  blockedForMs(host: string): number {
    const rec = this.hosts.get(host);
    if (rec === undefined) return 0;
    return Math.max(0, rec.blockedUntilMs - this.opts.clock.nowMs());
  }

  /** Counts a failure; returns true when the host is (now) blocked. */
  recordFailure(host: string): boolean {
    const now = this.opts.clock.nowMs();
    let rec = this.hosts.get(host);
    if (rec === undefined) {
      this.makeRoom(now);
      rec = { failuresAtMs: [], blockedUntilMs: 0 };
      this.hosts.set(host, rec);
    }
    rec.failuresAtMs = rec.failuresAtMs.filter((t) => now - t < this.opts.windowMs);
    rec.failuresAtMs.push(now);
    if (rec.failuresAtMs.length >= this.opts.maxFailures) {
      rec.blockedUntilMs = now + this.opts.blockMs;
      rec.failuresAtMs = [];
    }
    return rec.blockedUntilMs > now;
  }

  recordSuccess(host: string): void {
    this.hosts.delete(host);
  }

  get trackedHosts(): number {
    return this.hosts.size;
  }

  private makeRoom(now: number): void {
    if (this.hosts.size < this.maxHosts) return;
    for (const [host, rec] of this.hosts) {
      const recent = rec.failuresAtMs.some((t) => now - t < this.opts.windowMs);
      if (!recent && rec.blockedUntilMs <= now) this.hosts.delete(host);
    }
    // Still full: forget the oldest record (a flood of hosts must not grow memory without bound).
    while (this.hosts.size >= this.maxHosts) {
      const first = this.hosts.keys().next().value;
      if (first === undefined) break;
      this.hosts.delete(first);
    }
  }
}

/**
 * The control connection to drachtio-server (drachtio-srf). drachtio-srf reconnects by itself; we bound its
 * back-off (`reconnect.retryMaxDelay`: without it the delay grows 1.7× per attempt without limit), listen to
 * `error` (an 'error' event without a listener is thrown, and kills the process), and keep the state that
 * /health reports. While the connection is down drachtio-server answers callers itself; we see no requests.
 *
 *   idle --start--> connecting --connect--> up --close/error--> down --connect--> up
 *                       |  auth refused / refused                 ^                |
 *                       +----------------------> down ------------+      close --> closed
 */
import type { Logger } from 'pino';
import type { Clock } from '../../../ports/clock.js';
import { describeError } from './errors.js';
import type { DrachtioLibraries, SrfApi, SrfRequest, SrfResponse } from './types.js';

export type LinkState = 'idle' | 'connecting' | 'up' | 'down' | 'closed';

export interface DrachtioLinkOptions {
  libs: DrachtioLibraries;
  host: string;
  port: number;
  secret: string;
  reconnectMaxDelayMs: number;
  clock: Pick<Clock, 'nowMs'>;
  logger: Logger;
  onInvite(req: SrfRequest, res: SrfResponse): void;
  onRegister(req: SrfRequest, res: SrfResponse): void;
  onStateChange?(state: LinkState): void;
}

export interface DrachtioLinkStatus {
  state: LinkState;
  address: string;
  /** SIP addresses drachtio-server listens on (from its connect answer). */
  sipAddresses?: string;
  serverVersion?: string;
  connects: number;
  sinceMs: number;
  lastError?: string;
}

export class DrachtioLink {
  private srfInstance: SrfApi | undefined;
  private stateValue: LinkState = 'idle';
  private sinceMs: number;
  private connects = 0;
  private lastError: string | undefined;
  private sipAddresses: string | undefined;
  private serverVersion: string | undefined;
  private readonly upWaiters: Array<() => void> = [];

  constructor(private readonly opts: DrachtioLinkOptions) {
    this.sinceMs = opts.clock.nowMs();
  }

  get state(): LinkState {
    return this.stateValue;
  }

  /** The Srf, for createUAS/createUAC (present once started). */
  get srf(): SrfApi | undefined {
    return this.srfInstance;
  }

  start(): void {
    if (this.stateValue !== 'idle') return;
    const srf = this.opts.libs.createSrf();
    this.srfInstance = srf;
    srf.on('connect', (err, hostport, serverVersion) => this.onConnect(err, hostport, serverVersion));
    srf.on('error', (err) => this.onError(err));
    srf.on('close', () => this.onClose());
    srf.on('reconnecting', (info) => this.opts.logger.debug({ delayMs: info?.delay, attempt: info?.attempt }, 'drachtio: reconnecting'));
    srf.invite((req, res) => this.opts.onInvite(req, res));
    srf.register((req, res) => this.opts.onRegister(req, res));
    this.setState('connecting');
    this.opts.logger.info({ drachtio: `${this.opts.host}:${this.opts.port}` }, 'drachtio: connecting');
    try {
      srf.connect({
        host: this.opts.host,
        port: this.opts.port,
        secret: this.opts.secret,
        reconnect: { retryMaxDelay: this.opts.reconnectMaxDelayMs },
      });
    } catch (err) {
      this.onError(err instanceof Error ? err : new Error(describeError(err)));
    }
  }

  /** Resolves once the link is up, or false after `timeoutMs` (or when closed). */
  whenUp(timeoutMs: number, timers: Pick<Clock, 'setTimer'>): Promise<boolean> {
    if (this.stateValue === 'up') return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = timers.setTimer(timeoutMs, () => resolve(this.stateValue === 'up'));
      this.upWaiters.push(() => {
        timer.cancel();
        resolve(this.stateValue === 'up');
      });
    });
  }

  status(): DrachtioLinkStatus {
    return {
      state: this.stateValue,
      address: `${this.opts.host}:${this.opts.port}`,
      ...(this.sipAddresses !== undefined ? { sipAddresses: this.sipAddresses } : {}),
      ...(this.serverVersion !== undefined ? { serverVersion: this.serverVersion } : {}),
      connects: this.connects,
      sinceMs: this.sinceMs,
      ...(this.lastError !== undefined ? { lastError: this.lastError } : {}),
    };
  }

  async close(): Promise<void> {
    if (this.stateValue === 'closed') return;
    this.setState('closed');
    const srf = this.srfInstance;
    if (srf !== undefined) await this.opts.libs.shutdownSrf(srf);
  }

  private onConnect(err: Error | null | undefined, hostport?: string, serverVersion?: string): void {
    if (this.stateValue === 'closed') return;
    if (err) {
      // drachtio-server refused the secret. It keeps the socket open or closes it; either way we stay down
      // and say why (drachtio-srf retries on close).
      this.lastError = `drachtio-server refused the connection: ${describeError(err)} (check DRACHTIO_SECRET against drachtio.conf.xml)`;
      this.opts.logger.error({ drachtio: `${this.opts.host}:${this.opts.port}` }, this.lastError);
      this.setState('down');
      return;
    }
    this.connects += 1;
    this.sipAddresses = hostport;
    this.serverVersion = serverVersion;
    this.lastError = undefined;
    this.opts.logger.info({ sip: hostport, serverVersion, reconnect: this.connects > 1 }, 'drachtio: connected');
    this.setState('up');
  }

  private onError(err: Error): void {
    this.lastError = describeError(err);
    if (this.stateValue === 'closed') return;
    // Refused connections repeat at every back-off step: one warning per state change, the rest at debug.
    const level = this.stateValue === 'up' || this.stateValue === 'connecting' ? 'warn' : 'debug';
    this.opts.logger[level]({ err: this.lastError, drachtio: `${this.opts.host}:${this.opts.port}` }, 'drachtio: connection error');
    if (this.stateValue === 'up' || this.stateValue === 'connecting') this.setState('down');
  }

  private onClose(): void {
    if (this.stateValue === 'closed' || this.stateValue === 'down') return;
    this.opts.logger.warn({ drachtio: `${this.opts.host}:${this.opts.port}` }, 'drachtio: connection closed; reconnecting');
    this.setState('down');
  }

  private setState(state: LinkState): void {
    if (state === this.stateValue) return;
    this.stateValue = state;
    this.sinceMs = this.opts.clock.nowMs();
    if (state === 'up' || state === 'closed') for (const fn of this.upWaiters.splice(0)) fn();
    try {
      this.opts.onStateChange?.(state);
    } catch (err) {
      this.opts.logger.error({ err: describeError(err) }, 'drachtio state listener failed');
    }
  }
}

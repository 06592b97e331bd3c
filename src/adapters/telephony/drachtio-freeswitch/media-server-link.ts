/**
 * The event-socket connection to FreeSWITCH (one media server), owned end to end: connect (fs-connector.ts),
 * notice the loss ('end'), reconnect with a bounded exponential back-off on our Clock, poll FreeSWITCH's load
 * (`status`) for admission control, and run API commands with a time limit — drachtio-fsmrf's api() never
 * rejects and, on a dead connection, never resolves either.
 *
 *   idle --start--> connecting --ok--> up --end--> down --(back-off)--> connecting
 *                       | failure                        ^
 *                       +--> down --(back-off)-----------+        any --close--> closed
 */
import type { Logger } from 'pino';
import type { Clock, TimerHandle } from '../../../ports/clock.js';
import type { FsLoad } from './admission.js';
import { Backoff, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.js';
import type { LinkState } from './drachtio-link.js';
import { DfsError, describeError } from './errors.js';
import { parseFsStatus } from './fs-messages.js';
import type { ChannelControl, DrachtioLibraries, MediaServerApi, SrfApi } from './types.js';

export interface MediaServerLinkOptions {
  libs: DrachtioLibraries;
  srf: () => SrfApi | undefined;
  host: string;
  port: number;
  secret: string;
  listenAddress: string;
  channelControl: ChannelControl;
  profile: string;
  clock: Clock;
  logger: Logger;
  backoff?: BackoffOptions;
  connectTimeoutMs?: number;
  /** How often FreeSWITCH's `status` is read for admission control. Default 2000. */
  loadPollMs?: number;
  /** Time limit of one API command. Default 5000. */
  apiTimeoutMs?: number;
  /** After every (re)connection: `reconnect` is false the first time. */
  onUp?(reconnect: boolean): void;
  onDown?(): void;
}

export interface MediaServerLinkStatus {
  state: LinkState;
  address: string;
  connects: number;
  sinceMs: number;
  nextAttemptInMs?: number;
  lastError?: string;
  load?: FsLoad;
}

export class MediaServerLink {
  private ms: MediaServerApi | undefined;
  private stateValue: LinkState = 'idle';
  private sinceMs: number;
  private connects = 0;
  private lastError: string | undefined;
  private retryTimer: TimerHandle | undefined;
  private retryAtMs: number | undefined;
  private pollTimer: TimerHandle | undefined;
  private loadValue: FsLoad | undefined;
  private readonly backoff: Backoff;
  private readonly upWaiters: Array<() => void> = [];

  constructor(private readonly opts: MediaServerLinkOptions) {
    this.backoff = new Backoff(opts.backoff ?? DEFAULT_BACKOFF);
    this.sinceMs = opts.clock.nowMs();
  }

  get state(): LinkState {
    return this.stateValue;
  }

  get mediaServer(): MediaServerApi | undefined {
    return this.stateValue === 'up' ? this.ms : undefined;
  }

  get load(): FsLoad | undefined {
    return this.loadValue;
  }

  start(): void {
    if (this.stateValue !== 'idle') return;
    this.attempt();
  }

  whenUp(timeoutMs: number): Promise<boolean> {
    if (this.stateValue === 'up') return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = this.opts.clock.setTimer(timeoutMs, () => resolve(this.stateValue === 'up'));
      this.upWaiters.push(() => {
        timer.cancel();
        resolve(this.stateValue === 'up');
      });
    });
  }

  /** Runs an API command; rejects when not connected, on timeout, or on a library error. */
  api(command: string, timeoutMs = this.opts.apiTimeoutMs ?? 5000): Promise<string> {
    const ms = this.mediaServer;
    if (ms === undefined) return Promise.reject(new DfsError('HOTLINE_E_DFS_MEDIA_SERVER', `FreeSWITCH is not connected (api ${command.split(' ')[0]})`));
    return new Promise<string>((resolve, reject) => {
      const timer = this.opts.clock.setTimer(timeoutMs, () =>
        reject(new DfsError('HOTLINE_E_DFS_TIMEOUT', `FreeSWITCH did not answer "${command.split(' ')[0]}" within ${timeoutMs} ms`)),
      );
      let pending: Promise<string>;
      try {
        pending = ms.api(command);
      } catch (err) {
        timer.cancel();
        reject(new DfsError('HOTLINE_E_DFS_MEDIA_SERVER', describeError(err)));
        return;
      }
      pending.then(
        (body) => {
          timer.cancel();
          resolve(typeof body === 'string' ? body : String(body));
        },
        (err: unknown) => {
          timer.cancel();
          reject(new DfsError('HOTLINE_E_DFS_MEDIA_SERVER', describeError(err)));
        },
      );
    });
  }

  status(): MediaServerLinkStatus {
    return {
      state: this.stateValue,
      address: `${this.opts.host}:${this.opts.port}`,
      connects: this.connects,
      sinceMs: this.sinceMs,
      ...(this.retryAtMs !== undefined ? { nextAttemptInMs: Math.max(0, this.retryAtMs - this.opts.clock.nowMs()) } : {}),
      ...(this.lastError !== undefined ? { lastError: this.lastError } : {}),
      ...(this.loadValue !== undefined ? { load: this.loadValue } : {}),
    };
  }

  close(): void {
    if (this.stateValue === 'closed') return;
    this.retryTimer?.cancel();
    this.pollTimer?.cancel();
    this.retryAtMs = undefined;
    const ms = this.ms;
    this.ms = undefined;
    this.setState('closed');
    if (ms !== undefined) this.disconnect(ms);
  }

  /** The connection is gone (or unusable): drop it, tell the owner, reconnect after the back-off. */
  markLost(why: string): void {
    if (this.stateValue !== 'up') return;
    this.lastError = why;
    this.opts.logger.error({ freeswitch: `${this.opts.host}:${this.opts.port}`, reason: why }, 'FreeSWITCH: event-socket connection lost; new calls get 503 until it is back');
    this.pollTimer?.cancel();
    const ms = this.ms;
    this.ms = undefined;
    this.loadValue = undefined;
    this.setState('down');
    if (ms !== undefined) this.disconnect(ms);
    this.notify(() => this.opts.onDown?.());
    this.scheduleRetry();
  }

  private attempt(): void {
    if (this.stateValue === 'closed') return;
    this.retryAtMs = undefined;
    const srf = this.opts.srf();
    if (srf === undefined) {
      this.scheduleRetry();
      return;
    }
    this.setState('connecting');
    this.opts.libs
      .connectMediaServer(
        {
          host: this.opts.host,
          port: this.opts.port,
          secret: this.opts.secret,
          listenAddress: this.opts.listenAddress,
          channelControl: this.opts.channelControl,
          profile: this.opts.profile,
          connectTimeoutMs: this.opts.connectTimeoutMs ?? 5000,
          logger: this.opts.logger,
        },
        srf,
      )
      .then(
        (ms) => this.onConnected(ms),
        (err: unknown) => {
          if (this.stateValue === 'closed') return;
          const msg = describeError(err);
          // The first failure and any change of cause are worth an error line; repeats are not.
          const level = msg === this.lastError ? 'debug' : 'error';
          this.lastError = msg;
          this.opts.logger[level]({ freeswitch: `${this.opts.host}:${this.opts.port}`, err: msg }, 'FreeSWITCH: cannot connect to the event socket; retrying');
          this.setState('down');
          this.scheduleRetry();
        },
      )
      .catch((err: unknown) => this.opts.logger.error({ err: describeError(err) }, 'FreeSWITCH connect handler failed'));
  }

  private onConnected(ms: MediaServerApi): void {
    if (this.stateValue === 'closed') {
      this.disconnect(ms);
      return;
    }
    ms.on('error', (err: Error) => this.opts.logger.warn({ err: describeError(err) }, 'FreeSWITCH: event-socket error'));
    ms.on('end', () => {
      if (this.ms === ms) this.markLost('connection closed by FreeSWITCH or the network');
    });
    this.ms = ms;
    this.connects += 1;
    this.lastError = undefined;
    this.backoff.reset();
    this.opts.logger.info({ freeswitch: `${this.opts.host}:${this.opts.port}`, reconnect: this.connects > 1 }, 'FreeSWITCH: connected');
    this.setState('up');
    this.pollLoad();
    const reconnect = this.connects > 1;
    this.notify(() => this.opts.onUp?.(reconnect));
  }

  private pollLoad(): void {
    if (this.stateValue !== 'up') return;
    this.api('status')
      .then((body) => {
        const load = parseFsStatus(body, this.opts.clock.nowMs());
        if (load !== null) this.loadValue = load;
      })
      .catch((err: unknown) => this.opts.logger.debug({ err: describeError(err) }, 'FreeSWITCH: status poll failed'))
      .finally(() => {
        if (this.stateValue === 'up') this.pollTimer = this.opts.clock.setTimer(this.opts.loadPollMs ?? 2000, () => this.pollLoad());
      })
      .catch(() => undefined);
  }

  private scheduleRetry(): void {
    if (this.stateValue === 'closed') return;
    this.retryTimer?.cancel();
    const delayMs = this.backoff.next();
    this.retryAtMs = this.opts.clock.nowMs() + delayMs;
    this.retryTimer = this.opts.clock.setTimer(delayMs, () => this.attempt());
  }

  private disconnect(ms: MediaServerApi): void {
    try {
      ms.disconnect();
    } catch (err) {
      this.opts.logger.debug({ err: describeError(err) }, 'FreeSWITCH: disconnect');
    }
  }

  private setState(state: LinkState): void {
    if (state === this.stateValue) return;
    this.stateValue = state;
    this.sinceMs = this.opts.clock.nowMs();
    if (state === 'up' || state === 'closed') for (const fn of this.upWaiters.splice(0)) fn();
  }

  private notify(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.opts.logger.error({ err: describeError(err) }, 'FreeSWITCH state listener failed');
    }
  }
}

/**
 * A FreeSWITCH media server driven over ONE inbound event-socket connection (channelControl
 * `shared-socket`, the default). drachtio-fsmrf instead has FreeSWITCH open a new connection to the app for
 * every channel, subscribes it to a dozen event types and reads every event with all channel variables as
 * JSON; on the bench that cost about half of the app's CPU per call (docs/production.md).
 *
 * Here a channel is made the same way on the SIP side (an INVITE from drachtio-server to the media profile,
 * with the caller's SDP, or none for an agent's leg), but the dialplan (asterisk-or-freeswitch/, extension
 * hotline-media-leg-esl, chosen by `X-Hotline-Control: esl`) answers and parks it. We learn its uuid from
 * the 200 OK (X-Hotline-Channel, set by the dialplan), or, for an agent's leg (an INVITE without SDP, whose
 * 200 FreeSWITCH sends before running the dialplan), from its CHANNEL_PARK event, matched by the leg's own
 * token in the Request-URI (Caller-Destination-Number). Events: only CHANNEL_PARK, CHANNEL_EXECUTE_COMPLETE
 * of playbacks, DTMF and CHANNEL_HANGUP_COMPLETE, as plain text, read lazily (esl-frames.ts), routed to the
 * channel by Unique-ID.
 */
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { Clock } from '../../../ports/clock.js';
import { DfsError, describeError } from './errors.js';
import { EslClient } from './esl-client.js';
import { EslEndpoint } from './esl-endpoint.js';
import type { EslEventView } from './esl-frames.js';
import { sofiaProfileAddress } from './fs-messages.js';
import { markHandled } from './fsmrf-guards.js';
import type { CreateEndpointOptions, EndpointApi, MediaServerApi, MediaServerConnectOptions, SrfApi } from './types.js';

/** The events a channel needs, and filters that let through only those (a filter list is an OR). */
export const SUBSCRIBE = 'event plain CHANNEL_PARK CHANNEL_EXECUTE_COMPLETE CHANNEL_HANGUP_COMPLETE DTMF';
export const FILTERS = ['filter Event-Name CHANNEL_PARK', 'filter Event-Name DTMF', 'filter Event-Name CHANNEL_HANGUP_COMPLETE', 'filter Application playback'] as const;

/** The response header the dialplan names the channel in. */
export const CHANNEL_HEADER = 'X-Hotline-Channel';
const UUID_RE = /^[0-9A-Za-z-]{8,64}$/;

/** How long an agent's leg may take from its 200 OK to its CHANNEL_PARK event. */
const PARK_WAIT_MS = 5000;

interface LegWait {
  uuid?: string;
  found?(uuid: string): void;
}

export class EslMediaServer extends EventEmitter implements MediaServerApi {
  private readonly endpoints = new Map<string, EslEndpoint>();
  /** Legs by their Request-URI token, until their uuid is known. */
  private readonly legs = new Map<string, LegWait>();
  private executes = 0;
  private legCount = 0;
  /** Per connection, so that a token of an earlier connection (or another app instance) never matches. */
  private readonly legPrefix = `hotline-leg-${randomBytes(6).toString('hex')}-`;

  private constructor(
    private readonly client: EslClient,
    private readonly srf: SrfApi,
    private readonly sipAddress: string,
    private readonly timers: Pick<Clock, 'setTimer'>,
    private readonly log: Logger,
  ) {
    super();
    client.onEvent((ev) => this.onEvent(ev));
    client.onEnd(() => {
      // Every channel's events came over this connection: without it they are out of our control, so their
      // calls end (release() still sends each one's BYE; the reconnect's reconciliation catches the rest).
      for (const ep of [...this.endpoints.values()]) ep.handle(LOST);
      this.emit('end');
    });
  }

  /** Connects, checks the media profile, subscribes; rejects with an error a person can act on. */
  static async connect(opts: MediaServerConnectOptions, srf: SrfApi, timers: Pick<Clock, 'setTimer'>): Promise<EslMediaServer> {
    const client = await EslClient.connect({ host: opts.host, port: opts.port, secret: opts.secret, connectTimeoutMs: opts.connectTimeoutMs, timers, logger: opts.logger });
    try {
      const status = await client.api('sofia status');
      const address = sofiaProfileAddress(status, opts.profile);
      if (address === null) {
        throw new DfsError('HOTLINE_E_DFS_MEDIA_SERVER', `FreeSWITCH has no running SIP profile "${opts.profile}" (see asterisk-or-freeswitch/); sofia status says:\n${status.trim()}`);
      }
      await client.command(SUBSCRIBE, 'event');
      for (const f of FILTERS) await client.command(f, 'filter');
      return new EslMediaServer(client, srf, address, timers, opts.logger);
    } catch (err) {
      client.close();
      throw err instanceof DfsError ? err : new DfsError('HOTLINE_E_DFS_MEDIA_SERVER', describeError(err));
    }
  }

  api(command: string): Promise<string> {
    return this.client.api(command);
  }

  async createEndpoint(opts: CreateEndpointOptions = {}): Promise<EndpointApi> {
    const token = `${this.legPrefix}${(this.legCount += 1)}`;
    const wait: LegWait = {};
    this.legs.set(token, wait);
    try {
      const dialog = await this.srf.createUAC(`sip:${token}@${this.sipAddress}`, {
        headers: { ...opts.headers, 'X-Hotline-Control': 'esl' },
        ...(opts.remoteSdp !== undefined ? { localSdp: opts.remoteSdp } : {}),
      });
      const inAnswer = (dialog as unknown as { res?: { get(name: string): string | undefined } }).res?.get(CHANNEL_HEADER)?.trim();
      const uuid = inAnswer !== undefined && UUID_RE.test(inAnswer) ? inAnswer : await this.parkedUuid(wait);
      if (uuid === undefined) {
        markHandled(dialog.destroy(), this.log, 'dialog.destroy').catch(() => undefined);
        throw new DfsError(
          'HOTLINE_E_DFS_MEDIA_SERVER',
          `FreeSWITCH answered the media leg but never named its channel (${CHANNEL_HEADER}, CHANNEL_PARK): is its dialplan hotline's (asterisk-or-freeswitch/freeswitch/conf/dialplan)?`,
        );
      }
      const ep = new EslEndpoint(uuid, dialog, this.host, this.log);
      this.endpoints.set(uuid, ep);
      return ep;
    } finally {
      this.legs.delete(token);
    }
  }

  /** The uuid of a leg from its CHANNEL_PARK event (perhaps already in), or undefined after PARK_WAIT_MS. */
  private parkedUuid(wait: LegWait): Promise<string | undefined> {
    if (wait.uuid !== undefined) return Promise.resolve(wait.uuid);
    return new Promise((resolve) => {
      const timer = this.timers.setTimer(PARK_WAIT_MS, () => resolve(undefined));
      wait.found = (uuid) => {
        timer.cancel();
        resolve(uuid);
      };
    });
  }

  disconnect(): void {
    this.client.close();
  }

  private readonly host = {
    sendmsg: (uuid: string, headers: ReadonlyArray<readonly [string, string]>, body?: string) => this.client.sendmsg(uuid, headers, body),
    nextExecuteId: () => `hotline-${(this.executes += 1)}`,
    forget: (uuid: string) => void this.endpoints.delete(uuid),
  };

  private onEvent(ev: EslEventView): void {
    const uuid = ev.getHeader('Unique-ID');
    if (uuid === undefined) return;
    if (ev.getHeader('Event-Name') === 'CHANNEL_PARK') {
      const wait = this.legs.get(ev.getHeader('Caller-Destination-Number') ?? '');
      if (wait !== undefined && wait.uuid === undefined) {
        wait.uuid = uuid;
        wait.found?.(uuid);
      }
      return;
    }
    this.endpoints.get(uuid)?.handle(ev);
  }
}

/** What endpoints hear when the connection is lost. */
const LOST = {
  getHeader: (name: string): string | undefined => (name === 'Event-Name' ? 'CHANNEL_HANGUP_COMPLETE' : name === 'Hangup-Cause' ? 'EVENT_SOCKET_LOST' : undefined),
};

/**
 * The parts of drachtio-srf and drachtio-fsmrf this adapter talks to, as types (declared in
 * src/types/drachtio-*.d.ts). The adapter only ever sees these shapes; unit tests hand it fakes of them, and
 * only libraries.ts loads the real packages.
 */
import type Srf from 'drachtio-srf';
import type Mrf from 'drachtio-fsmrf';
import type { Logger } from 'pino';

export type SrfApi = Pick<Srf, 'connect' | 'disconnect' | 'invite' | 'register' | 'createUAS' | 'createUAC' | 'on'>;
export type SrfRequest = Srf.Request;
export type SrfResponse = Srf.Response;
export type SrfDialog = Srf.Dialog;
export type SrfSipMessage = Srf.SipMessage;
export type SrfUacOptions = Srf.UacOptions;
export type FsDtmfArgs = Mrf.DtmfArgs;

/** An event of one channel as the adapter reads it (CHANNEL_EXECUTE_COMPLETE of a playback). */
export interface ChannelEvent {
  getHeader(name: string): string | undefined;
}

/**
 * One FreeSWITCH channel and its SIP dialog with drachtio-server: what FsChannel drives. Made by our own
 * shared event-socket connection (esl-media-server.ts) or by drachtio-fsmrf (an Endpoint).
 */
export interface EndpointApi {
  /** FreeSWITCH's Channel-Unique-ID. */
  readonly uuid: string;
  /** FreeSWITCH's side: its SDP (the answer to a caller, the offer to an agent). */
  readonly local: { sdp?: string };
  /** The SIP dialog between drachtio-server and FreeSWITCH; null once released. */
  readonly dialog: SrfDialog | null;
  readonly connected: boolean;
  /** Runs a dialplan application; resolves with its CHANNEL_EXECUTE_COMPLETE (never if the channel goes first). */
  execute(app: string, arg?: string): Promise<ChannelEvent>;
  /** Hangs the channel up (BYE to FreeSWITCH). */
  destroy(): Promise<unknown>;
  on(event: 'dtmf', fn: (args: FsDtmfArgs) => void): unknown;
  on(event: 'destroy', fn: (info?: { reason?: string }) => void): unknown;
}

export interface CreateEndpointOptions {
  /** The far end's SDP; without it FreeSWITCH offers (3pcc) and the endpoint waits for a re-INVITE. */
  remoteSdp?: string;
  headers?: Record<string, string>;
}

/** One media server: API commands and channels. */
export interface MediaServerApi {
  /** Runs an API command; resolves with the response body. */
  api(command: string): Promise<string>;
  createEndpoint(opts?: CreateEndpointOptions): Promise<EndpointApi>;
  disconnect(): void;
  on(event: 'end', fn: () => void): unknown;
  on(event: 'error', fn: (err: Error) => void): unknown;
}

/**
 * How channels are driven. `shared-socket` (the default): one inbound event-socket connection for every
 * channel, plain events narrowed by filters. `drachtio-fsmrf`: the library's Endpoints, one outbound
 * event-socket connection per channel (about twice the app's CPU per call, measured in docs/production.md).
 */
export type ChannelControl = 'shared-socket' | 'drachtio-fsmrf';

export interface MediaServerConnectOptions {
  host: string;
  port: number;
  secret: string;
  /** Our outbound event-socket listener (FreeSWITCH connects back here for each channel). */
  listenAddress: string;
  profile: string;
  connectTimeoutMs: number;
  logger: Logger;
  channelControl: ChannelControl;
}

/** What the adapter needs from the libraries: a way to make an Srf, reach a media server, and shut down. */
export interface DrachtioLibraries {
  createSrf(): SrfApi;
  /** Closes the control connection and stops drachtio-srf's own reconnect timer. */
  shutdownSrf(srf: SrfApi): Promise<void>;
  /** Connects to FreeSWITCH's event socket; `srf` places the media legs (INVITEs to FreeSWITCH). */
  connectMediaServer(opts: MediaServerConnectOptions, srf: SrfApi): Promise<MediaServerApi>;
}

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
export type MediaServerApi = Mrf.MediaServer;
export type EndpointApi = Mrf.Endpoint;
export type FsDtmfArgs = Mrf.DtmfArgs;

export interface MediaServerConnectOptions {
  host: string;
  port: number;
  secret: string;
  /** Our outbound event-socket listener (FreeSWITCH connects back here for each channel). */
  listenAddress: string;
  profile: string;
  connectTimeoutMs: number;
  logger: Logger;
}

/** What the adapter needs from the libraries: a way to make an Srf, reach a media server, and shut down. */
export interface DrachtioLibraries {
  createSrf(): SrfApi;
  /** Closes the control connection and stops drachtio-srf's own reconnect timer. */
  shutdownSrf(srf: SrfApi): Promise<void>;
  /** Connects to FreeSWITCH's event socket; `srf` places the media legs (INVITEs to FreeSWITCH). */
  connectMediaServer(opts: MediaServerConnectOptions, srf: SrfApi): Promise<MediaServerApi>;
}

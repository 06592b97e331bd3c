/**
 * Narrow declarations of drachtio-fsmrf 4.1.2 (it ships none): the Mrf constructor, the MediaServer class
 * (lib/mediaserver.js, constructed directly by our connector so that we own the event-socket connection) and
 * the Endpoint, checked against the library's source. Only what adapters/telephony/drachtio-freeswitch uses.
 */
declare module 'drachtio-fsmrf' {
  import type { EventEmitter } from 'node:events';
  import type Srf from 'drachtio-srf';
  import type { EslConnection, EslEvent } from 'drachtio-modesl';

  namespace Mrf {
    /** The `dtmf` event of an Endpoint (from FreeSWITCH's DTMF event). */
    interface DtmfArgs {
      dtmf: string;
      duration?: string;
      /** FreeSWITCH's DTMF-Source: RTP, ENDPOINT (SIP INFO), INBAND_AUDIO, APP, UNKNOWN. */
      source?: string;
    }

    interface CreateEndpointOptions {
      /** The far end's SDP; without it FreeSWITCH offers (3pcc) and the endpoint waits for modify(). */
      remoteSdp?: string;
      codecs?: string[];
      headers?: Record<string, string>;
    }

    interface Endpoint extends EventEmitter {
      /** FreeSWITCH's Channel-Unique-ID. */
      readonly uuid: string;
      readonly local: { sdp?: string; mediaIp?: string; mediaPort?: string };
      readonly remote: { sdp?: string; mediaIp?: string; mediaPort?: string };
      /** The SIP dialog between drachtio-server and FreeSWITCH; null once released. */
      readonly dialog: Srf.Dialog | null;
      readonly connected: boolean;
      /** The per-channel outbound event socket; null once it closed. */
      readonly conn: EslConnection | null;
      /** Runs a dialplan application; resolves with its CHANNEL_EXECUTE_COMPLETE event (never on hang-up). */
      execute(app: string, arg?: string): Promise<EslEvent>;
      /** Hangs the channel up and waits for FreeSWITCH's BYE (forever, if it never comes). */
      destroy(): Promise<void>;
      on(event: 'dtmf', fn: (args: DtmfArgs) => void): this;
      on(event: 'destroy', fn: (info?: { reason?: string }) => void): this;
    }

    interface MediaServer extends EventEmitter {
      maxSessions: number;
      currentSessions: number;
      cps: number;
      cpuIdle?: number;
      connected(): boolean;
      /** Runs an API command on the inbound connection; resolves with the response body (never rejects). */
      api(command: string): Promise<string>;
      createEndpoint(opts?: CreateEndpointOptions): Promise<Endpoint>;
      disconnect(): void;
      on(event: 'ready' | 'connect' | 'end', fn: () => void): this;
      on(event: 'error', fn: (err: Error) => void): this;
    }

    interface MediaServerConstructor {
      new (
        conn: EslConnection,
        mrf: Mrf,
        listenAddress: string,
        listenPort: number,
        advertisedAddress: string | undefined,
        advertisedPort: number | undefined,
        profile: string,
      ): MediaServer;
    }
  }

  class Mrf extends EventEmitter {
    /** `srf` needs only createUAC/createUAS here: we hand in a guarded wrapper (see fsmrf-guards.ts). */
    constructor(srf: Pick<Srf, 'createUAC' | 'createUAS'>, opts?: { customEvents?: string[] });
    readonly srf: Pick<Srf, 'createUAC' | 'createUAS'>;
  }

  export = Mrf;
}

declare module 'drachtio-fsmrf/lib/mediaserver.js' {
  import type Mrf from 'drachtio-fsmrf';
  const MediaServer: Mrf.MediaServerConstructor;
  export = MediaServer;
}

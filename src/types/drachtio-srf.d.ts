/**
 * Narrow declarations of drachtio-srf 5.0.x: only what adapters/telephony/drachtio-freeswitch uses, checked
 * against the library's source (lib/srf.js, dialog.js, request.js, response.js, drachtio-agent.js,
 * wire-protocol.js). This ambient module replaces the package's own lib/@types, which are incomplete and in
 * places wrong: createUAC's cbRequest is really called as (err, req), `connect` takes reconnect options, and
 * Dialog#destroy returns a promise that rejects (e.g. "unable to find dialog").
 */
declare module 'drachtio-srf' {
  import type { EventEmitter } from 'node:events';

  namespace Srf {
    /** A name-addr as drachtio parses it (From, To, Contact ...). */
    interface NameAddr {
      name?: string;
      uri: string;
      params: Record<string, string | null | undefined>;
    }

    interface SipMessage {
      readonly method: string;
      readonly uri: string;
      readonly body: string;
      /** The message as received, start line and headers included. */
      readonly raw: string;
      get(name: string): string | undefined;
      has(name: string): boolean;
      getParsedHeader(name: 'from' | 'to' | 'From' | 'To'): NameAddr;
      getParsedHeader(name: 'contact' | 'Contact'): NameAddr[];
    }

    /** An incoming request (source 'network') or one we sent (source 'application'). */
    interface Request extends SipMessage {
      readonly source: 'network' | 'application';
      /** Address and port the request came from (network) or was sent to (application). */
      readonly source_address: string;
      readonly source_port: number;
      /** 'udp', 'tcp', 'tls', 'ws', 'wss' */
      readonly protocol: string;
      canceled?: boolean;
      on(event: 'cancel', fn: (cancel: SipMessage) => void): this;
      /** CANCELs a request we sent (INVITE). Throws when the request is not ours. */
      cancel(callback?: (err: Error | null, cancelSent?: Request) => void): void;
    }

    interface SendOptions {
      headers?: Record<string, string>;
      body?: string;
    }

    interface Response extends SipMessage {
      status: number;
      reason: string;
      readonly finalResponseSent: boolean;
      send(status: number, opts?: SendOptions, callback?: (err: Error | null) => void): void;
      send(status: number, reason: string, opts?: SendOptions, callback?: (err: Error | null) => void): void;
    }

    interface Dialog extends EventEmitter {
      readonly sip: { callId: string; localTag: string; remoteTag: string };
      readonly local: { uri: string; sdp: string; contact?: string };
      readonly remote: { uri: string; sdp: string };
      readonly connected: boolean;
      /** Sends BYE. Rejects when drachtio no longer knows the dialog. */
      destroy(opts?: { headers?: Record<string, string> }): Promise<unknown>;
      /** re-INVITE with this SDP; resolves with the far end's SDP. */
      modify(sdp: string): Promise<string>;
      on(event: 'destroy', fn: (bye?: Request, reason?: string) => void): this;
      on(event: 'info', fn: (req: Request, res: Response) => void): this;
      on(event: 'modify', fn: (req: Request, res: Response) => void): this;
      /** Without a listener drachtio-srf answers an in-dialog REFER 200 by itself. */
      on(event: 'refer', fn: (req: Request, res: Response) => void): this;
      on(event: 'ack', fn: (ack: Request) => void): this;
      /** Sends a request inside the dialog (NOTIFY, INFO ...); resolves with the final response. */
      request(opts: { method: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number }>;
    }

    interface ConnectOptions {
      host: string;
      port: number;
      secret: string;
      /** wire-protocol.js: back-off 150 ms × 1.7ⁿ capped at retryMaxDelay (unbounded without it). */
      reconnect?: { retryMaxDelay?: number; maxAttempts?: number };
      enablePing?: boolean;
      pingInterval?: number;
    }

    interface UasOptions {
      localSdp: string;
      headers?: Record<string, string>;
    }

    interface UacOptions {
      localSdp?: string;
      headers?: Record<string, string>;
      /** Where to send the request when it differs from the Request-URI (sip:host:port;transport=...). */
      proxy?: string;
      callingNumber?: string;
      callingName?: string;
    }

    interface ProgressCallbacks {
      /** Called once the INVITE is on the wire: (null, req), or (err) when it could not be sent. */
      cbRequest?: (err: Error | null, req?: Request) => void;
      cbProvisional?: (res: Response) => void;
    }

    /** The rejection of createUAC/createUAS for a non-2xx final response. */
    interface SipError extends Error {
      status: number;
      reason?: string;
    }
  }

  class Srf extends EventEmitter {
    constructor(tags?: string | string[]);
    connect(opts: Srf.ConnectOptions): unknown;
    /** Throws when no connection is up. */
    disconnect(): void;
    invite(handler: (req: Srf.Request, res: Srf.Response) => void): void;
    register(handler: (req: Srf.Request, res: Srf.Response) => void): void;
    createUAS(req: Srf.Request, res: Srf.Response, opts: Srf.UasOptions): Promise<Srf.Dialog>;
    createUAC(uri: string, opts: Srf.UacOptions, progress?: Srf.ProgressCallbacks): Promise<Srf.Dialog>;
    on(event: 'connect', fn: (err: Error | null, hostport?: string, serverVersion?: string) => void): this;
    on(event: 'error', fn: (err: Error) => void): this;
    on(event: 'close', fn: () => void): this;
    on(event: 'reconnecting', fn: (info: { delay: number; attempt: number }) => void): this;
  }

  export = Srf;
}

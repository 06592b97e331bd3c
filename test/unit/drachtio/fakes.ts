/**
 * Fakes of the drachtio-srf / drachtio-fsmrf objects the adapter talks to, shaped by our own narrow types
 * (src/adapters/telephony/drachtio-freeswitch/types.ts). Each records what the adapter did and lets the test
 * play the server's part: answer an API command, complete an execute, send a BYE.
 */
import { EventEmitter } from 'node:events';
import { pino, type Logger } from 'pino';
import type Srf from 'drachtio-srf';
import type Mrf from 'drachtio-fsmrf';
import type { EslEvent } from 'drachtio-modesl';
import type {
  DrachtioLibraries,
  EndpointApi,
  MediaServerApi,
  MediaServerConnectOptions,
  SrfApi,
  SrfDialog,
  SrfRequest,
  SrfResponse,
} from '../../../src/adapters/telephony/drachtio-freeswitch/types.js';

export function captureLogger(): { logger: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { logger, lines };
}

/** Lets pending promise callbacks run. */
export async function flush(): Promise<void> {
  for (let i = 0; i < 30; i += 1) await Promise.resolve();
  await new Promise((r) => setImmediate(r));
  for (let i = 0; i < 30; i += 1) await Promise.resolve();
}

export interface Deferred<T> {
  promise: Promise<T>;
  resolve(v: T): void;
  reject(e: unknown): void;
}

export function deferred<T>(): Deferred<T> {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

export class SipError extends Error {
  constructor(
    readonly status: number,
    readonly reason?: string,
  ) {
    super(`Sip non-success response: ${status}`);
  }
}

/** A SIP request as drachtio hands it over (headers by lower-case name). */
export class FakeRequest extends EventEmitter {
  cancelled = 0;
  constructor(
    readonly method: string,
    readonly uri: string,
    private readonly headers: Record<string, string>,
    readonly body: string,
    readonly raw: string,
    readonly protocol = 'udp',
    readonly source_address = '127.0.0.1',
    readonly source_port = 5099,
    readonly source: 'network' | 'application' = 'network',
  ) {
    super();
  }

  /** From a recorded message: start line, headers, blank line, body. */
  static fromRaw(raw: string, peer: { protocol?: string; host?: string; port?: number } = {}): FakeRequest {
    const text = raw.replace(/\r?\n/g, '\r\n');
    const [head, ...bodyParts] = text.split('\r\n\r\n');
    const lines = head!.split('\r\n');
    const [method, uri] = lines[0]!.split(' ');
    const headers: Record<string, string> = {};
    for (const line of lines.slice(1)) {
      const at = line.indexOf(':');
      const name = line.slice(0, at).trim().toLowerCase();
      const value = line.slice(at + 1).trim();
      headers[name] = name in headers ? `${headers[name]},${value}` : value;
    }
    return new FakeRequest(method!, uri!, headers, bodyParts.join('\r\n\r\n'), text, peer.protocol ?? 'udp', peer.host ?? '127.0.0.1', peer.port ?? 5099);
  }

  get(name: string): string | undefined {
    return this.headers[name.toLowerCase()];
  }

  has(name: string): boolean {
    return name.toLowerCase() in this.headers;
  }

  getParsedHeader(): never {
    throw new Error('not used by the adapter');
  }

  cancel(cb?: (err: Error | null) => void): void {
    this.cancelled += 1;
    cb?.(null);
  }

  asSrf(): SrfRequest {
    return this as unknown as SrfRequest;
  }
}

export class FakeResponse {
  sent: Array<{ status: number; reason?: string; headers?: Record<string, string>; body?: string }> = [];
  finalResponseSent = false;

  send(status: number, reasonOrOpts?: string | { headers?: Record<string, string>; body?: string }, opts?: { headers?: Record<string, string>; body?: string }): void {
    const reason = typeof reasonOrOpts === 'string' ? reasonOrOpts : undefined;
    const o = typeof reasonOrOpts === 'object' ? reasonOrOpts : opts;
    this.sent.push({ status, ...(reason !== undefined ? { reason } : {}), ...(o?.headers ? { headers: o.headers } : {}), ...(o?.body !== undefined ? { body: o.body } : {}) });
    if (status >= 200) this.finalResponseSent = true;
  }

  get statuses(): number[] {
    return this.sent.map((s) => s.status);
  }

  asSrf(): SrfResponse {
    return this as unknown as SrfResponse;
  }
}

export class FakeDialog extends EventEmitter {
  connected = true;
  destroyed = 0;
  modifies: string[] = [];
  modifyResult: Deferred<string> | undefined;
  destroyResult: Promise<unknown> = Promise.resolve();
  readonly local: { uri: string; sdp: string; contact?: string };
  readonly remote: { uri: string; sdp: string };

  constructor(
    readonly sip: { callId: string; localTag: string; remoteTag: string },
    localSdp = '',
    remoteSdp = '',
  ) {
    super();
    this.local = { uri: 'sip:local', sdp: localSdp };
    this.remote = { uri: 'sip:remote', sdp: remoteSdp };
  }

  destroy(): Promise<unknown> {
    this.destroyed += 1;
    this.connected = false;
    return this.destroyResult;
  }

  /** Requests we sent inside the dialog (NOTIFY ...). */
  requests: Array<{ method: string; headers?: Record<string, string>; body?: string }> = [];
  request(opts: { method: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number }> {
    this.requests.push(opts);
    return Promise.resolve({ status: 200 });
  }

  modify(sdp: string): Promise<string> {
    this.modifies.push(sdp);
    this.modifyResult = deferred<string>();
    return this.modifyResult.promise;
  }

  /** The far end sends BYE. */
  remoteBye(): void {
    this.connected = false;
    this.emit('destroy');
  }

  asSrf(): SrfDialog {
    return this as unknown as SrfDialog;
  }
}

export interface UacCall {
  uri: string;
  opts: Srf.UacOptions;
  progress: Srf.ProgressCallbacks | undefined;
  result: Deferred<SrfDialog>;
  request: FakeRequest;
}

export class FakeSrf extends EventEmitter {
  connectOpts: Srf.ConnectOptions | undefined;
  inviteHandler: ((req: SrfRequest, res: SrfResponse) => void) | undefined;
  registerHandler: ((req: SrfRequest, res: SrfResponse) => void) | undefined;
  uas: Array<{ req: SrfRequest; res: SrfResponse; opts: Srf.UasOptions; result: Deferred<SrfDialog> }> = [];
  uac: UacCall[] = [];
  disconnected = 0;

  connect(opts: Srf.ConnectOptions): this {
    this.connectOpts = opts;
    return this;
  }

  disconnect(): void {
    this.disconnected += 1;
  }

  invite(h: (req: SrfRequest, res: SrfResponse) => void): void {
    this.inviteHandler = h;
  }

  register(h: (req: SrfRequest, res: SrfResponse) => void): void {
    this.registerHandler = h;
  }

  createUAS(req: SrfRequest, res: SrfResponse, opts: Srf.UasOptions): Promise<SrfDialog> {
    const result = deferred<SrfDialog>();
    this.uas.push({ req, res, opts, result });
    return result.promise;
  }

  createUAC(uri: string, opts: Srf.UacOptions, progress?: Srf.ProgressCallbacks): Promise<SrfDialog> {
    const result = deferred<SrfDialog>();
    const request = new FakeRequest('INVITE', uri, { 'call-id': `uac-${this.uac.length + 1}@hotline` }, opts.localSdp ?? '', '', 'udp', '127.0.0.1', 5060, 'application');
    this.uac.push({ uri, opts, progress, result, request });
    return result.promise;
  }

  /** drachtio-server accepted our secret. */
  up(hostport = 'udp/127.0.0.1:5060'): void {
    this.emit('connect', null, hostport, 'v0.9.10');
  }

  asSrf(): SrfApi {
    return this as unknown as SrfApi;
  }
}

let uuidSeq = 0;

/** An ESL event (CHANNEL_EXECUTE_COMPLETE) with the headers given. */
export function eslEvent(headers: Record<string, string>, body?: string): EslEvent {
  return { getHeader: (n: string) => headers[n], getBody: () => body };
}

export class FakeEndpoint extends EventEmitter {
  readonly uuid: string;
  readonly local: { sdp?: string };
  readonly remote: { sdp?: string } = {};
  readonly dialog: FakeDialog;
  connected = true;
  conn = null;
  executes: Array<{ app: string; arg: string | undefined; result: Deferred<EslEvent> }> = [];
  destroyed = 0;
  /** FreeSWITCH confirms a hang-up at once unless a test holds it (to see uuid_kill). */
  holdDestroy = false;
  private readonly heldDestroy = deferred<void>();

  constructor(localSdp: string, uuid?: string) {
    super();
    this.uuid = uuid ?? `00000000-0000-4000-8000-${String(++uuidSeq).padStart(12, '0')}`;
    this.local = { sdp: localSdp };
    this.dialog = new FakeDialog({ callId: `fs-${this.uuid}`, localTag: 'a', remoteTag: 'b' }, '', localSdp);
  }

  execute(app: string, arg?: string): Promise<EslEvent> {
    const result = deferred<EslEvent>();
    this.executes.push({ app, arg, result });
    return result.promise;
  }

  destroy(): Promise<void> {
    this.destroyed += 1;
    return this.holdDestroy ? this.heldDestroy.promise : Promise.resolve();
  }

  /** The last execute completes with Application-Response `response`. */
  complete(response = 'FILE PLAYED'): void {
    const last = this.executes.at(-1);
    if (!last) throw new Error('nothing executing');
    last.result.resolve(eslEvent({ 'Event-Name': 'CHANNEL_EXECUTE_COMPLETE', Application: last.app, 'Application-Response': response }));
  }

  /** FreeSWITCH ended the channel (CHANNEL_CALLSTATE HANGUP). */
  hangupByServer(reason = 'ALLOTTED_TIMEOUT'): void {
    this.emit('destroy', { reason });
  }

  asEp(): EndpointApi {
    return this as unknown as EndpointApi;
  }
}

export const FS_ANSWER_SDP = 'v=0\r\no=FreeSWITCH 1 2 IN IP4 127.0.0.1\r\ns=FreeSWITCH\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 24000 RTP/AVP 8 101\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\na=ptime:20\r\na=sendrecv\r\n';
export const FS_OFFER_SDP = 'v=0\r\no=FreeSWITCH 3 4 IN IP4 127.0.0.1\r\ns=FreeSWITCH\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 24002 RTP/AVP 0 8 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\na=ptime:20\r\na=sendrecv\r\n';

export type ApiHandler = (command: string) => string | Promise<string> | undefined;

export class FakeMediaServer extends EventEmitter {
  apis: string[] = [];
  /** Answers API commands; undefined leaves the command pending forever (a dead server). */
  apiHandler: ApiHandler = (cmd) => (cmd.startsWith('status') ? STATUS_IDLE : '+OK\n');
  creates: Array<{ opts: Mrf.CreateEndpointOptions | undefined; result: Deferred<EndpointApi> }> = [];
  autoCreate: ((opts: Mrf.CreateEndpointOptions | undefined) => FakeEndpoint) | undefined;
  endpoints: FakeEndpoint[] = [];
  disconnected = 0;
  maxSessions = 1000;
  currentSessions = 0;
  cps = 0;

  connected(): boolean {
    return this.disconnected === 0;
  }

  api(command: string): Promise<string> {
    this.apis.push(command);
    const out = this.apiHandler(command);
    if (out === undefined) return new Promise(() => undefined);
    return Promise.resolve(out);
  }

  createEndpoint(opts?: Mrf.CreateEndpointOptions): Promise<EndpointApi> {
    const result = deferred<EndpointApi>();
    this.creates.push({ opts, result });
    if (this.autoCreate) {
      const ep = this.autoCreate(opts);
      this.endpoints.push(ep);
      result.resolve(ep.asEp());
    }
    return result.promise;
  }

  disconnect(): void {
    this.disconnected += 1;
  }

  /** The event-socket connection dropped. */
  lose(): void {
    this.emit('end');
  }

  asMs(): MediaServerApi {
    return this as unknown as MediaServerApi;
  }
}

export const STATUS_IDLE = [
  'UP 0 years, 0 days, 0 hours, 3 minutes, 2 seconds, 101 milliseconds, 7 microseconds',
  'FreeSWITCH (Version 1.10.12-release 64bit) is ready',
  '12 session(s) since startup',
  '0 session(s) - peak 2, last 5min 2 ',
  '0 session(s) per Sec out of max 30, peak 1, last 5min 1 ',
  '1000 session(s) max',
  'min idle cpu 0.00/97.50',
  'Current Stack Size/Max 240K/8192K',
  '',
].join('\n');

export class FakeLibraries implements DrachtioLibraries {
  srfs: FakeSrf[] = [];
  connects: Array<{ opts: MediaServerConnectOptions; result: Deferred<MediaServerApi> }> = [];
  shutdowns = 0;
  /** When set, every connect attempt resolves at once with this server. */
  autoConnect: FakeMediaServer | undefined;

  createSrf(): SrfApi {
    const srf = new FakeSrf();
    this.srfs.push(srf);
    return srf.asSrf();
  }

  async shutdownSrf(): Promise<void> {
    this.shutdowns += 1;
  }

  connectMediaServer(opts: MediaServerConnectOptions): Promise<MediaServerApi> {
    const result = deferred<MediaServerApi>();
    this.connects.push({ opts, result });
    if (this.autoConnect) result.resolve(this.autoConnect.asMs());
    return result.promise;
  }

  get srf(): FakeSrf {
    const s = this.srfs.at(-1);
    if (!s) throw new Error('no srf yet');
    return s;
  }
}

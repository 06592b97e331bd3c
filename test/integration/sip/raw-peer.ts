/** A scripted SIP peer on raw sockets (127.0.0.1 only): sends text, waits for parsed messages. */
import dgram from 'node:dgram';
import net from 'node:net';
import { parseSipMessage } from '../../../src/adapters/telephony/builtin/sip/parser.js';
import type { SipMessage, SipRequest, SipResponse } from '../../../src/adapters/telephony/builtin/sip/message.js';
import { SipStreamFramer } from '../../../src/adapters/telephony/builtin/sip/stream-framer.js';

export class RawPeer {
  readonly received: SipMessage[] = [];
  readonly raw: string[] = [];
  private waiters: Array<() => void> = [];
  private udp: dgram.Socket | undefined;
  private tcp: net.Socket | undefined;
  port = 0;

  private constructor(readonly transport: 'udp' | 'tcp', private readonly target: number) {}

  static async udp(target: number): Promise<RawPeer> {
    const peer = new RawPeer('udp', target);
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
    socket.on('message', (data) => peer.push(data));
    peer.udp = socket;
    peer.port = socket.address().port;
    return peer;
  }

  static async tcp(target: number): Promise<RawPeer> {
    const peer = new RawPeer('tcp', target);
    const socket = net.connect({ host: '127.0.0.1', port: target });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('error', reject);
    });
    const framer = new SipStreamFramer(65536);
    socket.on('data', (chunk: Buffer) => {
      for (const out of framer.push(chunk)) {
        if (out.kind === 'message') peer.push(out.data);
        else if (out.kind === 'ping') peer.raw.push('PING');
      }
      if (chunk.toString() === '\r\n') {
        peer.raw.push('PONG');
        peer.wake();
      }
    });
    peer.tcp = socket;
    peer.port = socket.localPort ?? 0;
    return peer;
  }

  private push(data: Buffer): void {
    this.raw.push(data.toString());
    const r = parseSipMessage(data, { stream: this.transport === 'tcp' });
    if (r.ok) {
      this.received.push(r.message);
      if (this.answerBye && r.message.kind === 'request' && r.message.method === 'BYE') this.answer(r.message, 200);
    }
    this.wake();
  }

  /** Answer BYEs with 200 by themselves (like any phone would). */
  answerBye = true;

  /** Sends a minimal response to a request we received. */
  answer(request: SipRequest, status: number, reason = 'OK'): void {
    const copied = request.headers.list().filter((e) => ['via', 'from', 'to', 'call-id', 'cseq'].includes(e.key));
    this.send([`SIP/2.0 ${status} ${reason}`, ...copied.map((e) => `${e.name}: ${e.value}`), 'Content-Length: 0', '', ''].join('\n'));
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  /** Sends a message; `\n` line ends become CRLF; Content-Length is filled in when written as `{len}`. */
  send(text: string, body = ''): void {
    const head = text.replace(/\r?\n/g, '\r\n').replace('{len}', String(Buffer.byteLength(body)));
    this.sendRaw(Buffer.from(head + body));
  }

  sendRaw(data: Buffer): void {
    if (this.udp) this.udp.send(data, this.target, '127.0.0.1');
    else this.tcp!.write(data);
  }

  /** Next received message matching, counting from `from` (default: everything not yet taken). */
  async next<T extends SipMessage = SipMessage>(match: (m: SipMessage) => boolean, timeoutMs = 5000): Promise<T> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const i = this.received.findIndex(match);
      if (i >= 0) return this.received.splice(i, 1)[0] as T;
      const left = end - Date.now();
      if (left <= 0) throw new Error(`RawPeer: no matching message; got:\n${this.raw.slice(-3).join('\n---\n')}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  response(status: number, method?: string): (m: SipMessage) => boolean {
    return (m) => m.kind === 'response' && m.status === status && (method === undefined || (m.headers.get('cseq') ?? '').endsWith(method));
  }

  request(method: string): (m: SipMessage) => boolean {
    return (m) => m.kind === 'request' && m.method === method;
  }

  async close(): Promise<void> {
    if (this.udp) await new Promise<void>((resolve) => this.udp!.close(() => resolve()));
    if (this.tcp) this.tcp.destroy();
  }
}

export type { SipRequest, SipResponse };

let seq = 0;
/** Headers for a request from this peer; `extra` lines are appended before Content-Length. */
export function req(
  peer: RawPeer,
  method: string,
  opts: { uri?: string; callId?: string; cseq?: number; fromTag?: string; to?: string; extra?: string[]; branch?: string; contentType?: string } = {},
): string {
  const t = peer.transport.toUpperCase();
  return [
    `${method} ${opts.uri ?? 'sip:400@127.0.0.1'} SIP/2.0`,
    `Via: SIP/2.0/${t} 127.0.0.1:${peer.port};branch=${opts.branch ?? `z9hG4bKraw${++seq}`};rport`,
    'Max-Forwards: 70',
    `From: "Raw" <sip:13900000000@127.0.0.1:${peer.port}>;tag=${opts.fromTag ?? 'rawtag'}`,
    `To: ${opts.to ?? '<sip:400@127.0.0.1>'}`,
    `Call-ID: ${opts.callId ?? `raw-${seq}@127.0.0.1`}`,
    `CSeq: ${opts.cseq ?? 1} ${method}`,
    `Contact: <sip:raw@127.0.0.1:${peer.port}${peer.transport === 'tcp' ? ';transport=tcp' : ''}>`,
    ...(opts.contentType ? [`Content-Type: ${opts.contentType}`] : []),
    ...(opts.extra ?? []),
    'Content-Length: {len}',
    '',
    '',
  ].join('\n');
}

export const OFFER = [
  'v=0',
  'o=raw 1 1 IN IP4 127.0.0.1',
  's=-',
  'c=IN IP4 127.0.0.1',
  't=0 0',
  'm=audio 30000 RTP/AVP 0 101',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:101 telephone-event/8000',
  '',
].join('\r\n');

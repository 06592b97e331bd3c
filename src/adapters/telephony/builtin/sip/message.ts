/**
 * SIP messages (RFC 3261 §7) and the structured reading of the header fields every element needs:
 * Via (§20.42), CSeq (§20.16), From/To tags (§8.1.1.3), and response construction (§8.2.6).
 */
import { randomBytes } from 'node:crypto';
import { SipError } from './errors.js';
import { SipHeaders } from './headers.js';
import { Params, parseNameAddr, parseParams, type NameAddr } from './uri.js';

export interface SipRequest {
  readonly kind: 'request';
  method: string;
  /** Request-URI as written. */
  uri: string;
  headers: SipHeaders;
  body: Buffer;
}

export interface SipResponse {
  readonly kind: 'response';
  status: number;
  reason: string;
  headers: SipHeaders;
  body: Buffer;
}

export type SipMessage = SipRequest | SipResponse;

/** RFC 3261 §17.2.3: branch ids of RFC 3261 elements start with this magic cookie. */
export const BRANCH_COOKIE = 'z9hG4bK';

export const REASON_PHRASES: Readonly<Record<number, string>> = {
  100: 'Trying',
  180: 'Ringing',
  181: 'Call Is Being Forwarded',
  182: 'Queued',
  183: 'Session Progress',
  200: 'OK',
  202: 'Accepted',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  413: 'Request Entity Too Large',
  415: 'Unsupported Media Type',
  416: 'Unsupported URI Scheme',
  420: 'Bad Extension',
  423: 'Interval Too Brief',
  429: 'Too Many Requests',
  480: 'Temporarily Unavailable',
  481: 'Call/Transaction Does Not Exist',
  482: 'Loop Detected',
  486: 'Busy Here',
  487: 'Request Terminated',
  488: 'Not Acceptable Here',
  491: 'Request Pending',
  500: 'Server Internal Error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
  505: 'Version Not Supported',
  513: 'Message Too Large',
  600: 'Busy Everywhere',
  603: 'Decline',
  604: 'Does Not Exist Anywhere',
  606: 'Not Acceptable',
};

export function reasonPhrase(status: number): string {
  return REASON_PHRASES[status] ?? (status < 200 ? 'Provisional' : status < 300 ? 'OK' : 'Error');
}

export interface Via {
  /** `UDP`, `TCP`, ... upper-cased. */
  transport: string;
  host: string;
  port?: number;
  params: Params;
}

const SENT_PROTOCOL_RE = /^SIP\s*\/\s*2\.0\s*\/\s*([A-Za-z0-9\-.!%*_+`'~]+)\s+(.*)$/i;

/** Parses one Via element: `SIP/2.0/UDP host:port;branch=...`. */
export function parseVia(value: string): Via | null {
  const m = SENT_PROTOCOL_RE.exec(value.trim());
  if (!m) return null;
  const rest = m[2]!;
  const semi = rest.indexOf(';');
  const sentBy = (semi >= 0 ? rest.slice(0, semi) : rest).trim();
  const params = parseParams(semi >= 0 ? rest.slice(semi) : '');
  if (params === null) return null;
  let host = sentBy;
  let port: number | undefined;
  const bracket = sentBy.startsWith('[') ? sentBy.indexOf(']') : -1;
  const colon = sentBy.lastIndexOf(':');
  if (colon > bracket && colon >= 0) {
    host = sentBy.slice(0, colon).trim();
    const portText = sentBy.slice(colon + 1).trim();
    if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) return null;
    port = Number(portText);
  }
  if (!/^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9\-.]+)$/.test(host)) return null;
  const via: Via = { transport: m[1]!.toUpperCase(), host, params };
  if (port !== undefined) via.port = port;
  return via;
}

export function formatVia(via: Via): string {
  const port = via.port !== undefined ? `:${via.port}` : '';
  return `SIP/2.0/${via.transport} ${via.host}${port}${via.params.toString()}`;
}

export interface CSeq {
  seq: number;
  method: string;
}

/** §8.1.1.5: the sequence number is a 32-bit unsigned integer below 2**31. */
export function parseCSeq(value: string): CSeq | null {
  const m = /^\s*(\d{1,10})\s+([A-Za-z0-9\-.!%*_+`'~]+)\s*$/.exec(value);
  if (!m) return null;
  const seq = Number(m[1]);
  if (seq >= 2 ** 31) return null;
  return { seq, method: m[2]! };
}

/** Reads a header that validation guarantees; a miss here is our bug, not the peer's. */
function required(msg: SipMessage, name: string): string {
  const v = msg.headers.get(name);
  if (v === undefined) throw new SipError('HOTLINE_E_SIP_INTERNAL', `message has no ${name} header`);
  return v;
}

export function topVia(msg: SipMessage): Via {
  const via = parseVia(required(msg, 'via'));
  if (via === null) throw new SipError('HOTLINE_E_SIP_INTERNAL', 'unparseable top Via');
  return via;
}

export function cseqOf(msg: SipMessage): CSeq {
  const cseq = parseCSeq(required(msg, 'cseq'));
  if (cseq === null) throw new SipError('HOTLINE_E_SIP_INTERNAL', 'unparseable CSeq');
  return cseq;
}

export function callIdOf(msg: SipMessage): string {
  return required(msg, 'call-id');
}

export function addressOf(msg: SipMessage, name: 'from' | 'to'): NameAddr {
  const addr = parseNameAddr(required(msg, name));
  if (addr === null) throw new SipError('HOTLINE_E_SIP_INTERNAL', `unparseable ${name}`);
  return addr;
}

export function tagOf(msg: SipMessage, name: 'from' | 'to'): string | undefined {
  const value = msg.headers.get(name);
  if (value === undefined) return undefined;
  const tag = parseNameAddr(value)?.params.get('tag');
  return typeof tag === 'string' && tag.length > 0 ? tag : undefined;
}

/** Random token for branches, tags and Call-IDs (RFC 3261 §8.1.1.4, §19.3 want global uniqueness). */
export function randomToken(bytes = 12): string {
  return randomBytes(bytes).toString('base64url');
}

export function newBranch(): string {
  return BRANCH_COOKIE + randomToken(12);
}

export interface ResponseOptions {
  reason?: string;
  /** Added to To when the request had none (§8.2.6.2); ignored for 100. */
  toTag?: string;
  headers?: ReadonlyArray<readonly [string, string]>;
  body?: Buffer | string;
  contentType?: string;
}

/**
 * Builds a response to a request per §8.2.6.2: Via (all, in order), From, To, Call-ID and CSeq copied,
 * Timestamp echoed in 100 (§8.2.6.1), the To tag added for non-100 responses when the request had none.
 * Works on partially valid requests too (only copies the raw values), which is what a 400 needs.
 */
export function createResponse(
  req: { headers: SipHeaders },
  status: number,
  opts: ResponseOptions = {},
): SipResponse {
  const headers = new SipHeaders();
  headers.copyFrom(req.headers, 'via');
  headers.copyFrom(req.headers, 'from');
  const to = req.headers.get('to');
  if (to !== undefined) {
    const hasTag = parseNameAddr(to)?.params.has('tag') ?? false;
    headers.append('To', !hasTag && status > 100 && opts.toTag !== undefined ? `${to};tag=${opts.toTag}` : to);
  }
  headers.copyFrom(req.headers, 'call-id');
  headers.copyFrom(req.headers, 'cseq');
  if (status === 100) headers.copyFrom(req.headers, 'timestamp');
  for (const [name, value] of opts.headers ?? []) headers.append(name, value);
  let body: Buffer = Buffer.alloc(0);
  if (opts.body !== undefined) {
    body = typeof opts.body === 'string' ? Buffer.from(opts.body, 'utf8') : opts.body;
    if (opts.contentType !== undefined) headers.set('Content-Type', opts.contentType);
  }
  return { kind: 'response', status, reason: opts.reason ?? reasonPhrase(status), headers, body };
}

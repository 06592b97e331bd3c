/**
 * SIP message parser (RFC 3261 §7, §25) with the validation a UAS needs before it may act (§8.2, §18.3).
 *
 * Never throws on input: the result is a value. When a request is broken but we can still read its top Via,
 * From, To, Call-ID and CSeq, the error carries those headers (`answerable`) so the stack can reply 400/505
 * instead of staying silent; anything less is dropped (and logged by the caller).
 */
import { SipHeaders, headerKey } from './headers.js';
import { parseCSeq, parseVia, type SipMessage } from './message.js';
import { parseNameAddr, parseSipUri, uriScheme } from './uri.js';

/** Default guard on one message: far above any legitimate SIP message, below the UDP maximum. */
export const DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024;

export type SipParseErrorCode =
  | 'too-large'
  | 'empty'
  | 'bad-start-line'
  | 'bad-version'
  | 'bad-header-line'
  | 'missing-header'
  | 'bad-header-value'
  | 'bad-content-length'
  | 'body-truncated'
  | 'cseq-method-mismatch'
  | 'bad-request-uri';

export interface SipParseError {
  code: SipParseErrorCode;
  /** Human-readable, used as the reason phrase of the 400 (no peer data beyond header names). */
  detail: string;
  /** Status to answer with when answerable: 400, or 505 for a SIP version we do not speak. */
  status: number;
  /** Present when the request could be answered: its method and raw headers. */
  answerable?: { method: string; headers: SipHeaders };
}

export type ParseResult = { ok: true; message: SipMessage } | { ok: false; error: SipParseError };

export interface ParseOptions {
  maxMessageBytes?: number;
  /**
   * True for stream transports (TCP): the framer already cut the message by Content-Length. False for UDP:
   * Content-Length, when present, bounds the body and extra bytes are discarded (§18.3).
   */
  stream?: boolean;
}

interface Head {
  startLine: string;
  headerLines: string[];
  bodyStart: number;
}

const LF = 0x0a;

/** Finds the blank line ending the header section; tolerates bare LF line ends. */
export function findHeadEnd(data: Buffer, from: number): { headEnd: number; bodyStart: number } | null {
  for (let i = data.indexOf(LF, from); i >= 0; i = data.indexOf(LF, i + 1)) {
    if (data[i + 1] === LF) return { headEnd: i, bodyStart: i + 2 };
    if (data[i + 1] === 0x0d && data[i + 2] === LF) return { headEnd: i, bodyStart: i + 3 };
  }
  return null;
}

/** Skips the empty lines a sender may put before the start line (§7.5). */
export function skipLeadingNewlines(data: Buffer, from = 0): number {
  let i = from;
  while (i < data.length && (data[i] === 0x0d || data[i] === LF)) i++;
  return i;
}

function splitHead(data: Buffer): Head | null {
  const start = skipLeadingNewlines(data);
  if (start >= data.length) return null;
  const end = findHeadEnd(data, start);
  const headEnd = end?.headEnd ?? data.length;
  const text = data.toString('utf8', start, headEnd);
  // §7.3.1: a line starting with whitespace continues the previous header field.
  const lines: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/\r$/, '');
    if ((line.startsWith(' ') || line.startsWith('\t')) && lines.length > 1) {
      lines[lines.length - 1] += ' ' + line.trim();
    } else if (line.length > 0) {
      lines.push(line);
    }
  }
  if (lines.length === 0) return null;
  return { startLine: lines[0]!, headerLines: lines.slice(1), bodyStart: end?.bodyStart ?? data.length };
}

const METHOD_RE = /^[A-Za-z0-9\-.!%*_+`'~]+$/;
const HEADER_NAME_RE = /^[A-Za-z0-9\-.!%*_+`'~]+$/;

type StartLine =
  | { kind: 'request'; method: string; uri: string; version: string }
  | { kind: 'response'; status: number; reason: string; version: string };

function parseStartLine(line: string): StartLine | null {
  if (/^SIP\//i.test(line)) {
    const m = /^(SIP\/\d+\.\d+) (\d{3})(?: (.*))?$/i.exec(line);
    if (!m) return null;
    const status = Number(m[2]);
    if (status < 100 || status > 699) return null;
    return { kind: 'response', version: m[1]!.toUpperCase(), status, reason: m[3] ?? '' };
  }
  // Request-Line = Method SP Request-URI SP SIP-Version CRLF: exactly single spaces (RFC 4475 "lwsstart", "trws").
  const parts = line.split(' ');
  if (parts.length !== 3) {
    const method = line.split(/\s+/)[0] ?? '';
    return METHOD_RE.test(method) ? { kind: 'request', method, uri: '', version: '' } : null;
  }
  const [method, uri, version] = parts as [string, string, string];
  if (!METHOD_RE.test(method)) return null;
  return { kind: 'request', method, uri, version: version.toUpperCase() };
}

function fail(code: SipParseErrorCode, detail: string, status = 400): { ok: false; error: SipParseError } {
  return { ok: false, error: { code, detail, status } };
}

/** Parses one SIP message from a datagram (or one framed stream message). */
export function parseSipMessage(data: Buffer, opts: ParseOptions = {}): ParseResult {
  const maxBytes = opts.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  if (data.length > maxBytes) return fail('too-large', 'Message Too Large', 513);
  const head = splitHead(data);
  if (head === null) return fail('empty', 'Empty message');
  const start = parseStartLine(head.startLine);
  if (start === null) return fail('bad-start-line', 'Malformed start line');

  const headers = new SipHeaders();
  let headerError: string | undefined;
  for (const line of head.headerLines) {
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon).trim() : '';
    if (!HEADER_NAME_RE.test(name)) {
      headerError ??= 'Malformed header line';
      continue;
    }
    headers.append(name, line.slice(colon + 1));
  }

  const problems = validate(start, headers, head.headerLines.length);
  const error = headerError !== undefined ? { code: 'bad-header-line' as const, detail: headerError, status: 400 } : problems;

  // Body (§18.3): Content-Length bounds it; on UDP a missing Content-Length means "the rest of the datagram".
  let body = data.subarray(head.bodyStart);
  const lengths = headers.getAll('content-length');
  let bodyError: SipParseError | undefined;
  if (lengths.length > 0) {
    const distinct = new Set(lengths.map((l) => l.trim()));
    const text = lengths[0]!.trim();
    if (distinct.size > 1 || !/^\d{1,9}$/.test(text)) {
      bodyError = { code: 'bad-content-length', detail: 'Bad Content-Length', status: 400 };
    } else {
      const length = Number(text);
      if (length > body.length) {
        bodyError = { code: 'body-truncated', detail: 'Content-Length Larger Than Body', status: 400 };
      } else {
        body = body.subarray(0, length);
      }
    }
  } else if (opts.stream === true && body.length > 0) {
    bodyError = { code: 'bad-content-length', detail: 'Missing Content-Length', status: 400 };
  }

  const firstError = error ?? bodyError;
  if (firstError !== undefined) {
    // Responses with errors are simply discarded (§18.3); requests may be answerable.
    if (start.kind === 'request' && isAnswerable(headers)) {
      firstError.answerable = { method: start.method, headers };
    }
    return { ok: false, error: firstError };
  }
  const copy = Buffer.from(body); // detach from the receive buffer
  if (start.kind === 'request') {
    return { ok: true, message: { kind: 'request', method: start.method, uri: start.uri, headers, body: copy } };
  }
  return { ok: true, message: { kind: 'response', status: start.status, reason: start.reason, headers, body: copy } };
}

/** We can send a response if the top Via parses and the headers §8.2.6.2 copies are there. */
function isAnswerable(headers: SipHeaders): boolean {
  const via = headers.get('via');
  if (via === undefined || parseVia(via) === null) return false;
  return ['from', 'to', 'call-id', 'cseq'].every((h) => headers.has(h));
}

const MANDATORY = ['via', 'from', 'to', 'call-id', 'cseq'] as const;

function validate(start: StartLine, headers: SipHeaders, headerCount: number): SipParseError | undefined {
  if (start.kind === 'request' && start.version === '') {
    return { code: 'bad-start-line', detail: 'Malformed Request-Line', status: 400 };
  }
  if (start.version !== 'SIP/2.0') {
    return { code: 'bad-version', detail: 'Version Not Supported', status: 505 };
  }
  if (headerCount === 0) return { code: 'missing-header', detail: 'No headers', status: 400 };
  for (const name of MANDATORY) {
    if (!headers.has(name)) return { code: 'missing-header', detail: `Missing ${name} header`, status: 400 };
  }
  for (const via of headers.getAll('via')) {
    if (parseVia(via) === null) return { code: 'bad-header-value', detail: 'Malformed Via header', status: 400 };
  }
  const cseq = parseCSeq(headers.get('cseq')!);
  if (cseq === null) return { code: 'bad-header-value', detail: 'Malformed CSeq header', status: 400 };
  if (headers.getAll('cseq').length > 1 || headers.getAll('call-id').length > 1) {
    return { code: 'bad-header-value', detail: 'Duplicate CSeq or Call-ID', status: 400 };
  }
  for (const name of ['from', 'to'] as const) {
    const values = headers.getAll(name);
    if (values.length !== 1 || parseNameAddr(values[0]!) === null) {
      return { code: 'bad-header-value', detail: `Malformed ${name === 'from' ? 'From' : 'To'} header`, status: 400 };
    }
  }
  if (headers.get('call-id')!.trim().length === 0 || /\s/.test(headers.get('call-id')!.trim())) {
    return { code: 'bad-header-value', detail: 'Malformed Call-ID header', status: 400 };
  }
  const maxForwards = headers.get('max-forwards');
  if (maxForwards !== undefined && !/^\s*\d{1,10}\s*$/.test(maxForwards)) {
    return { code: 'bad-header-value', detail: 'Malformed Max-Forwards header', status: 400 };
  }
  if (start.kind === 'request') {
    if (cseq.method !== start.method) {
      return { code: 'cseq-method-mismatch', detail: 'CSeq method does not match request', status: 400 };
    }
    const scheme = uriScheme(start.uri);
    if (scheme === null || /\s/.test(start.uri)) {
      return { code: 'bad-request-uri', detail: 'Malformed Request-URI', status: 400 };
    }
    if ((scheme === 'sip' || scheme === 'sips') && parseSipUri(start.uri) === null) {
      return { code: 'bad-request-uri', detail: 'Malformed Request-URI', status: 400 };
    }
    for (const contact of headers.getAll('contact')) {
      if (contact !== '*' && parseNameAddr(contact) === null) {
        return { code: 'bad-header-value', detail: 'Malformed Contact header', status: 400 };
      }
    }
  }
  const expires = headers.get('expires');
  if (expires !== undefined && !/^\s*\d{1,10}\s*$/.test(expires)) {
    return { code: 'bad-header-value', detail: 'Malformed Expires header', status: 400 };
  }
  return undefined;
}

/** Reads the Content-Length of a header block for stream framing; null when missing/invalid. */
export function contentLengthOf(headText: string): number | null | 'invalid' {
  let found: number | null = null;
  for (const line of headText.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    if (headerKey(line.slice(0, colon)) !== 'content-length') continue;
    const v = line.slice(colon + 1).trim();
    if (!/^\d{1,9}$/.test(v)) return 'invalid';
    if (found !== null && found !== Number(v)) return 'invalid';
    found = Number(v);
  }
  return found;
}

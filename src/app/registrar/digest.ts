/**
 * HTTP Digest for SIP (RFC 3261 §22.4, RFC 2617 §3.2, RFC 7616 §3.4): reading credentials and computing the
 * MD5 response, with qop=auth and without qop (RFC 2069 compatibility).
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export interface DigestCredentials {
  username: string;
  realm: string;
  nonce: string;
  uri: string;
  response: string;
  algorithm?: string;
  cnonce?: string;
  opaque?: string;
  qop?: string;
  /** Nonce count, 8 hex digits on the wire. */
  nc?: string;
}

/**
 * Parses `Digest username="1001", realm="x", nc=00000001, ...`. Values are tokens or quoted strings; names
 * are case-insensitive. Returns null when the scheme is not Digest or the syntax is broken.
 */
export function parseDigestAuthorization(header: string): DigestCredentials | null {
  const m = /^\s*Digest\s+(.*)$/is.exec(header);
  if (!m) return null;
  const text = m[1]!;
  const params = new Map<string, string>();
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /[\s,]/.test(text[i]!)) i++;
    if (i >= text.length) break;
    const nameStart = i;
    while (i < text.length && /[A-Za-z0-9\-_]/.test(text[i]!)) i++;
    const name = text.slice(nameStart, i).toLowerCase();
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (name.length === 0 || text[i] !== '=') return null;
    i++;
    while (i < text.length && /\s/.test(text[i]!)) i++;
    let value = '';
    if (text[i] === '"') {
      i++;
      for (; i < text.length && text[i] !== '"'; i++) {
        if (text[i] === '\\' && i + 1 < text.length) i++;
        value += text[i]!;
      }
      if (text[i] !== '"') return null;
      i++;
    } else {
      const start = i;
      while (i < text.length && !/[\s,]/.test(text[i]!)) i++;
      value = text.slice(start, i);
    }
    if (params.has(name)) return null; // each directive at most once (RFC 7616 §3.4)
    params.set(name, value);
  }
  const required = ['username', 'realm', 'nonce', 'uri', 'response'] as const;
  if (!required.every((k) => params.has(k))) return null;
  const creds: DigestCredentials = {
    username: params.get('username')!,
    realm: params.get('realm')!,
    nonce: params.get('nonce')!,
    uri: params.get('uri')!,
    response: params.get('response')!,
  };
  for (const k of ['algorithm', 'cnonce', 'opaque', 'qop', 'nc'] as const) {
    const v = params.get(k);
    if (v !== undefined) creds[k] = v;
  }
  return creds;
}

function md5(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

/** The expected `response` for these credentials, method and password (RFC 2617 §3.2.2.1). */
export function digestResponse(creds: DigestCredentials, method: string, password: string): string {
  const ha1 = md5(`${creds.username}:${creds.realm}:${password}`);
  const ha2 = md5(`${method}:${creds.uri}`);
  if (creds.qop === 'auth') {
    return md5(`${ha1}:${creds.nonce}:${creds.nc ?? ''}:${creds.cnonce ?? ''}:auth:${ha2}`);
  }
  return md5(`${ha1}:${creds.nonce}:${ha2}`);
}

/** Constant-time comparison of two hex digests. */
export function digestsEqual(a: string, b: string): boolean {
  const x = Buffer.from(a.toLowerCase(), 'utf8');
  const y = Buffer.from(b.toLowerCase(), 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

export function formatChallenge(opts: { realm: string; nonce: string; opaque: string; stale: boolean }): string {
  const stale = opts.stale ? ', stale=true' : '';
  return `Digest realm="${opts.realm}", nonce="${opts.nonce}", opaque="${opts.opaque}", algorithm=MD5, qop="auth"${stale}`;
}

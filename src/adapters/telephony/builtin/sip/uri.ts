/**
 * SIP URIs (RFC 3261 §19.1, §25.1), header parameters, and the name-addr / addr-spec forms of From, To,
 * Contact, Route and Record-Route (§20.10, §20.20, §20.39). Parsers return null on bad input, never throw.
 */

/** Ordered `;name=value` parameters; names are case-insensitive (stored lower-case), values kept as written. */
export class Params {
  private readonly map = new Map<string, string | null>();

  get(name: string): string | null | undefined {
    return this.map.get(name.toLowerCase());
  }

  has(name: string): boolean {
    return this.map.has(name.toLowerCase());
  }

  set(name: string, value: string | null): this {
    this.map.set(name.toLowerCase(), value);
    return this;
  }

  delete(name: string): this {
    this.map.delete(name.toLowerCase());
    return this;
  }

  entries(): IterableIterator<[string, string | null]> {
    return this.map.entries();
  }

  clone(): Params {
    const copy = new Params();
    for (const [k, v] of this.map) copy.set(k, v);
    return copy;
  }

  toString(): string {
    let out = '';
    for (const [k, v] of this.map) out += v === null ? `;${k}` : `;${k}=${v}`;
    return out;
  }
}

const TOKEN_RE = /^[A-Za-z0-9\-.!%*_+`'~]+$/;
// RFC 3261 param value chars (token, host, quoted-string handled separately); IPv6 references allowed.
const PVALUE_RE = /^[A-Za-z0-9\-.!%*_+`'~[\]/:&$]+$/;

export function isToken(text: string): boolean {
  return TOKEN_RE.test(text);
}

/**
 * Parses `;a=1;b;c="x;y"` (leading semicolon optional). Returns null on a malformed parameter.
 * Quoted values keep their quotes (they are rewritten as they came).
 */
export function parseParams(text: string): Params | null {
  const params = new Params();
  let i = 0;
  const n = text.length;
  const skipWs = (): void => {
    while (i < n && (text[i] === ' ' || text[i] === '\t')) i++;
  };
  skipWs();
  if (i < n && text[i] !== ';') return null;
  while (i < n) {
    if (text[i] !== ';') return null;
    i++;
    skipWs();
    let name = '';
    while (i < n && text[i] !== '=' && text[i] !== ';' && text[i] !== ' ' && text[i] !== '\t') name += text[i++];
    if (!isToken(name)) return null;
    skipWs();
    let value: string | null = null;
    if (i < n && text[i] === '=') {
      i++;
      skipWs();
      if (text[i] === '"') {
        const end = quotedStringEnd(text, i);
        if (end < 0) return null;
        value = text.slice(i, end + 1);
        i = end + 1;
      } else {
        let v = '';
        while (i < n && text[i] !== ';' && text[i] !== ' ' && text[i] !== '\t') v += text[i++];
        if (!PVALUE_RE.test(v)) return null;
        value = v;
      }
    }
    skipWs();
    params.set(name, value);
  }
  return params;
}

/** Index of the closing quote of the quoted string starting at `start`, or -1. */
export function quotedStringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i;
  }
  return -1;
}

export function unquote(value: string): string {
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
    return value.slice(1, -1).replace(/\\(.)/g, '$1');
  }
  return value;
}

export interface SipUri {
  scheme: 'sip' | 'sips';
  /** User part, still %-escaped as written. */
  user?: string;
  password?: string;
  /** Host name, IPv4 literal, or IPv6 reference in brackets. */
  host: string;
  port?: number;
  params: Params;
  /** Raw `?` headers part, without the question mark. */
  headers?: string;
}

const HOST_RE = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9\-.]*[A-Za-z0-9.])?)$/;
// user = 1*( unreserved / escaped / user-unreserved ); we check for what must never appear instead.
const USER_FORBIDDEN_RE = /[\s<>"@]/;
const ESCAPE_RE = /%(?![0-9A-Fa-f]{2})/;

/** Parses a sip: or sips: URI; null for another scheme or a malformed URI. */
export function parseSipUri(text: string): SipUri | null {
  const colon = text.indexOf(':');
  if (colon < 0) return null;
  const scheme = text.slice(0, colon).toLowerCase();
  if (scheme !== 'sip' && scheme !== 'sips') return null;
  let rest = text.slice(colon + 1);
  if (/[\s]/.test(rest)) return null; // no whitespace inside a URI (RFC 4475 "lwsruri")
  const uri: SipUri = { scheme, host: '', params: new Params() };
  // The user part may hold '?' ',' ';' (user-unreserved), while parameters and headers never hold an
  // unescaped '@': so the last '@' ends the userinfo, and the first '?' after it starts the headers.
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    const userinfo = rest.slice(0, at);
    rest = rest.slice(at + 1);
    // The password is after the first colon of userinfo.
    const pc = userinfo.indexOf(':');
    const user = pc >= 0 ? userinfo.slice(0, pc) : userinfo;
    if (user.length === 0 || USER_FORBIDDEN_RE.test(user) || ESCAPE_RE.test(user)) return null;
    uri.user = user;
    if (pc >= 0) uri.password = userinfo.slice(pc + 1);
  }
  const q = rest.indexOf('?');
  if (q >= 0) {
    uri.headers = rest.slice(q + 1);
    rest = rest.slice(0, q);
  }
  const semi = rest.indexOf(';');
  const hostport = semi >= 0 ? rest.slice(0, semi) : rest;
  if (semi >= 0) {
    const params = parseParams(rest.slice(semi));
    if (params === null) return null;
    uri.params = params;
  }
  let host = hostport;
  if (hostport.startsWith('[')) {
    const close = hostport.indexOf(']');
    if (close < 0) return null;
    host = hostport.slice(0, close + 1);
    const after = hostport.slice(close + 1);
    if (after.length > 0) {
      if (!after.startsWith(':')) return null;
      const port = parsePort(after.slice(1));
      if (port === null) return null;
      uri.port = port;
    }
  } else {
    const pc = hostport.lastIndexOf(':');
    if (pc >= 0) {
      host = hostport.slice(0, pc);
      const port = parsePort(hostport.slice(pc + 1));
      if (port === null) return null;
      uri.port = port;
    }
  }
  if (!HOST_RE.test(host)) return null;
  uri.host = host;
  return uri;
}

function parsePort(text: string): number | null {
  if (!/^\d{1,5}$/.test(text)) return null;
  const port = Number(text);
  return port <= 65535 ? port : null;
}

export function formatSipUri(uri: SipUri): string {
  let out = `${uri.scheme}:`;
  if (uri.user !== undefined) {
    out += uri.user;
    if (uri.password !== undefined) out += `:${uri.password}`;
    out += '@';
  }
  out += uri.host;
  if (uri.port !== undefined) out += `:${uri.port}`;
  out += uri.params.toString();
  if (uri.headers !== undefined) out += `?${uri.headers}`;
  return out;
}

/** %-decodes a URI user part (RFC 3261 §19.1.4); malformed escapes are kept literally. */
export function unescapeUser(user: string): string {
  return user.replace(/%([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** %-escapes what may not appear literally in a URI user part (§19.1.2, §25.1 user-unreserved). */
export function escapeUser(user: string): string {
  return Array.from(Buffer.from(user, 'utf8'))
    .map((b) => {
      const ch = String.fromCharCode(b);
      return /[A-Za-z0-9\-_.!~*'()&=+$,;?/]/.test(ch) ? ch : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
}

/** The scheme of any absolute URI (`tel`, `http` ...), lower-cased; null when there is none. */
export function uriScheme(text: string): string | null {
  const m = /^([A-Za-z][A-Za-z0-9+\-.]*):/.exec(text);
  return m ? m[1]!.toLowerCase() : null;
}

export interface NameAddr {
  /** Display name without quotes, if any. */
  displayName?: string;
  /** The URI text as written (any scheme). */
  uri: string;
  /** The URI parsed, when it is sip: or sips:. */
  sipUri: SipUri | null;
  /** Header parameters (tag, expires, q, lr is a URI param ...). */
  params: Params;
}

/**
 * Parses `"Alice" <sip:a@x>;tag=1`, `Bob <sip:b@y>`, `<sip:c@z>` or the addr-spec form `sip:d@w;tag=2`.
 * In the addr-spec form every `;param` belongs to the header, not the URI (§20.10).
 */
export function parseNameAddr(text: string): NameAddr | null {
  const value = text.trim();
  let displayName: string | undefined;
  let rest = value;
  if (rest.startsWith('"')) {
    const end = quotedStringEnd(rest, 0);
    if (end < 0) return null;
    displayName = unquote(rest.slice(0, end + 1));
    rest = rest.slice(end + 1).trimStart();
    if (!rest.startsWith('<')) return null;
  }
  const lt = rest.indexOf('<');
  let uri: string;
  let paramText: string;
  if (lt >= 0) {
    if (displayName === undefined) {
      const name = rest.slice(0, lt).trim();
      if (name.length > 0) {
        // display-name = *(token LWS) when unquoted
        if (!name.split(/[ \t]+/).every(isToken)) return null;
        displayName = name;
      }
    }
    const gt = rest.indexOf('>', lt);
    if (gt < 0) return null;
    uri = rest.slice(lt + 1, gt);
    paramText = rest.slice(gt + 1);
  } else {
    const semi = rest.indexOf(';');
    uri = semi >= 0 ? rest.slice(0, semi) : rest;
    paramText = semi >= 0 ? rest.slice(semi) : '';
    uri = uri.trim();
    if (/[,?]/.test(uri)) return null; // §20.10: such URIs must be in angle brackets
  }
  if (uri.length === 0 || uriScheme(uri) === null || /\s/.test(uri)) return null;
  const params = parseParams(paramText);
  if (params === null) return null;
  const scheme = uriScheme(uri);
  const sipUri = scheme === 'sip' || scheme === 'sips' ? parseSipUri(uri) : null;
  if ((scheme === 'sip' || scheme === 'sips') && sipUri === null) return null;
  const result: NameAddr = { uri, sipUri, params };
  if (displayName !== undefined) result.displayName = displayName;
  return result;
}

/** Writes a name-addr (always with angle brackets, so URI params stay in the URI). */
export function formatNameAddr(addr: { displayName?: string; uri: string; params?: Params }): string {
  const name =
    addr.displayName !== undefined && addr.displayName.length > 0
      ? `"${addr.displayName.replace(/(["\\])/g, '\\$1')}" `
      : '';
  return `${name}<${addr.uri}>${addr.params?.toString() ?? ''}`;
}

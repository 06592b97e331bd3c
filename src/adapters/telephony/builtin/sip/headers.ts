/**
 * SIP header fields (RFC 3261 §7.3, §20): case-insensitive names, compact forms, comma-separated lists.
 *
 * Headers are kept in arrival order. Header fields whose grammar is a comma-separated list (#element, §7.3.1)
 * are split into one entry per element when they are added, so "the top Via" is simply the first Via entry,
 * however the sender grouped them on lines.
 */

/** RFC 3261 §7.3.3 compact forms, plus those of RFC 3265/3515/3841/4028/4474 met in the wild. */
const COMPACT_FORMS: Readonly<Record<string, string>> = {
  a: 'accept-contact',
  b: 'referred-by',
  c: 'content-type',
  d: 'request-disposition',
  e: 'content-encoding',
  f: 'from',
  i: 'call-id',
  j: 'reject-contact',
  k: 'supported',
  l: 'content-length',
  m: 'contact',
  o: 'event',
  r: 'refer-to',
  s: 'subject',
  t: 'to',
  u: 'allow-events',
  v: 'via',
  x: 'session-expires',
  y: 'identity',
};

/** Spellings that are not plain Title-Case. */
const SPECIAL_CASE: Readonly<Record<string, string>> = {
  'call-id': 'Call-ID',
  cseq: 'CSeq',
  'www-authenticate': 'WWW-Authenticate',
  'mime-version': 'MIME-Version',
  'rack': 'RAck',
  'rseq': 'RSeq',
};

/** Header fields defined as comma-separated lists (§7.3.1); Authorization & co. are not (they hold commas). */
const LIST_HEADERS: ReadonlySet<string> = new Set([
  'via',
  'route',
  'record-route',
  'contact',
  'allow',
  'supported',
  'require',
  'proxy-require',
  'unsupported',
  'accept',
  'accept-encoding',
  'accept-language',
  'content-encoding',
  'content-language',
  'allow-events',
  'in-reply-to',
  'path',
  'service-route',
  'alert-info',
  'call-info',
  'error-info',
  'warning',
]);

/** Lower-case full name of a header, expanding compact forms. */
export function headerKey(name: string): string {
  const lower = name.trim().toLowerCase();
  return COMPACT_FORMS[lower] ?? lower;
}

/** Display spelling of a header key: `call-id` → `Call-ID`, `content-type` → `Content-Type`. */
export function canonicalHeaderName(key: string): string {
  const special = SPECIAL_CASE[key];
  if (special !== undefined) return special;
  return key
    .split('-')
    .map((part) => (part.length === 0 ? part : part[0]!.toUpperCase() + part.slice(1)))
    .join('-');
}

export function isListHeader(key: string): boolean {
  return LIST_HEADERS.has(key);
}

/**
 * Splits a list header value at top-level commas: commas inside quoted strings (with backslash escapes) and
 * inside <...> are part of the element (§7.3.1, §25.1).
 */
export function splitHeaderList(value: string): string[] {
  const parts: string[] = [];
  let current = '';
  let inQuotes = false;
  let angleDepth = 0;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    if (inQuotes) {
      current += ch;
      if (ch === '\\' && i + 1 < value.length) {
        current += value[++i]!;
      } else if (ch === '"') {
        inQuotes = false;
      }
      continue;
    }
    if (ch === '"') inQuotes = true;
    else if (ch === '<') angleDepth++;
    else if (ch === '>' && angleDepth > 0) angleDepth--;
    else if (ch === ',' && angleDepth === 0) {
      parts.push(current.trim());
      current = '';
      continue;
    }
    current += ch;
  }
  parts.push(current.trim());
  return parts.filter((p) => p.length > 0);
}

export interface HeaderEntry {
  /** Lower-case full name (compact forms expanded). */
  readonly key: string;
  /** Name as it will be written (canonical spelling). */
  readonly name: string;
  readonly value: string;
}

export class SipHeaders {
  private entries: HeaderEntry[] = [];

  /** Returns the first value of the header, or undefined. */
  get(name: string): string | undefined {
    const key = headerKey(name);
    return this.entries.find((e) => e.key === key)?.value;
  }

  /** Every value of the header in order (list headers: one element each). */
  getAll(name: string): string[] {
    const key = headerKey(name);
    return this.entries.filter((e) => e.key === key).map((e) => e.value);
  }

  has(name: string): boolean {
    const key = headerKey(name);
    return this.entries.some((e) => e.key === key);
  }

  /** Adds after the existing ones (list values are split into elements). */
  append(name: string, value: string): this {
    this.entries.push(...SipHeaders.toEntries(name, value));
    return this;
  }

  /** Adds before every other header of the same name (e.g. a new top Via). */
  prepend(name: string, value: string): this {
    const key = headerKey(name);
    const fresh = SipHeaders.toEntries(name, value);
    const at = this.entries.findIndex((e) => e.key === key);
    if (at < 0) this.entries.push(...fresh);
    else this.entries.splice(at, 0, ...fresh);
    return this;
  }

  /** Replaces every value of the header, keeping the position of the first one. */
  set(name: string, value: string): this {
    const key = headerKey(name);
    const at = this.entries.findIndex((e) => e.key === key);
    const fresh = SipHeaders.toEntries(name, value);
    this.entries = this.entries.filter((e) => e.key !== key);
    if (at < 0) this.entries.push(...fresh);
    else this.entries.splice(Math.min(at, this.entries.length), 0, ...fresh);
    return this;
  }

  /** Replaces only the first value (e.g. adding a tag to To, or received= to the top Via). */
  setFirst(name: string, value: string): this {
    const key = headerKey(name);
    const at = this.entries.findIndex((e) => e.key === key);
    if (at < 0) return this.append(name, value);
    this.entries[at] = { key, name: this.entries[at]!.name, value };
    return this;
  }

  delete(name: string): this {
    const key = headerKey(name);
    this.entries = this.entries.filter((e) => e.key !== key);
    return this;
  }

  /** Removes the first value only (e.g. the top Route when it names us). */
  deleteFirst(name: string): this {
    const key = headerKey(name);
    const at = this.entries.findIndex((e) => e.key === key);
    if (at >= 0) this.entries.splice(at, 1);
    return this;
  }

  list(): readonly HeaderEntry[] {
    return this.entries;
  }

  clone(): SipHeaders {
    const copy = new SipHeaders();
    copy.entries = [...this.entries];
    return copy;
  }

  /** Copies every value of `name` from another header set, in order. */
  copyFrom(other: SipHeaders, name: string): this {
    const key = headerKey(name);
    for (const e of other.entries) if (e.key === key) this.entries.push(e);
    return this;
  }

  private static toEntries(name: string, value: string): HeaderEntry[] {
    const key = headerKey(name);
    const display = canonicalHeaderName(key);
    const values = isListHeader(key) ? splitHeaderList(value) : [value.trim()];
    return values.map((v) => ({ key, name: display, value: v }));
  }
}

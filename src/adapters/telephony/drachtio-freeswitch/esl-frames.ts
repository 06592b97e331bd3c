/**
 * FreeSWITCH event-socket framing, for our own inbound connection (esl-client.ts). A frame is a block of
 * `Name: value` lines ended by a blank line, then `Content-Length` bytes of body. Bodies are counted in bytes
 * (they may carry UTF-8), so the reader works on Buffers and decodes only complete frames.
 *
 * Events come as `text/event-plain`: the body is the event's own header block with URL-encoded values (and,
 * for some events, a blank line and the event's body). A busy media server sends thousands of events per
 * second with ~80 headers each, of which a call needs three or four: EslEventView finds a header when asked
 * and decodes only its value, instead of parsing every line of every event.
 */

/** One frame: its outer headers (not URL-encoded) and its body. */
export interface EslFrame {
  contentType: string;
  headers: ReadonlyMap<string, string>;
  body: string;
}

const BLANK_LINE = Buffer.from('\n\n');
/** A frame's header block longer than this is not FreeSWITCH speaking: the connection is dropped. */
const MAX_HEADER_BYTES = 64 * 1024;

export class EslFrameError extends Error {}

/** Reassembles frames from socket reads. */
export class EslFrameReader {
  private buf: Buffer = Buffer.alloc(0);

  /** Feeds one read; returns the frames it completed. Throws EslFrameError on a stream that is not ESL. */
  push(chunk: Buffer): EslFrame[] {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    const frames: EslFrame[] = [];
    let at = 0;
    for (;;) {
      const end = this.buf.indexOf(BLANK_LINE, at);
      if (end < 0) {
        if (this.buf.length - at > MAX_HEADER_BYTES) throw new EslFrameError(`an event-socket header block over ${MAX_HEADER_BYTES} bytes`);
        break;
      }
      const headers = parseOuterHeaders(this.buf.toString('latin1', at, end));
      const lengthText = headers.get('Content-Length');
      const length = lengthText === undefined ? 0 : Number(lengthText);
      if (!Number.isSafeInteger(length) || length < 0) throw new EslFrameError(`a bad event-socket Content-Length: ${lengthText ?? ''}`);
      const bodyAt = end + 2;
      if (this.buf.length < bodyAt + length) break;
      frames.push({ contentType: headers.get('Content-Type') ?? '', headers, body: this.buf.toString('utf8', bodyAt, bodyAt + length) });
      at = bodyAt + length;
    }
    this.buf = at === 0 ? this.buf : this.buf.subarray(at);
    if (this.buf.length === 0) this.buf = Buffer.alloc(0);
    return frames;
  }
}

function parseOuterHeaders(text: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of text.split('\n')) {
    const colon = line.indexOf(': ');
    if (colon > 0) headers.set(line.slice(0, colon), decodeValue(line.slice(colon + 2)));
  }
  return headers;
}

/**
 * URL-decodes a header value. A value with a stray `%` (FreeSWITCH does not always encode one: seen in
 * variables holding a caller's display name) is kept as it came instead of throwing.
 */
export function decodeValue(raw: string): string {
  if (raw.indexOf('%') < 0) return raw;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** A `text/event-plain` event, read lazily: a header is looked up (and decoded) only when asked for. */
export class EslEventView {
  /** The event's header block, with a leading newline so every header is found as `\nName: `. */
  private readonly block: string;
  private readonly cache = new Map<string, string | undefined>();

  constructor(body: string) {
    const end = body.indexOf('\n\n');
    this.block = `\n${end < 0 ? body : body.slice(0, end + 1)}`;
  }

  getHeader(name: string): string | undefined {
    if (this.cache.has(name)) return this.cache.get(name);
    const at = this.block.indexOf(`\n${name}: `);
    let value: string | undefined;
    if (at >= 0) {
      const from = at + name.length + 3;
      const to = this.block.indexOf('\n', from);
      value = decodeValue(this.block.slice(from, to < 0 ? undefined : to));
    }
    this.cache.set(name, value);
    return value;
  }
}

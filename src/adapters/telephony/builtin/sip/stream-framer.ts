/**
 * Cuts a TCP byte stream into SIP messages by Content-Length (RFC 3261 §18.3), skipping the CRLF keep-alives
 * of RFC 5626 §3.5.1 between messages (a double CRLF "ping" is reported so the transport can answer "pong").
 */
import { contentLengthOf, findHeadEnd } from './parser.js';

export type FramerOutput =
  | { kind: 'message'; data: Buffer }
  | { kind: 'ping' }
  | { kind: 'error'; detail: string };

export class SipStreamFramer {
  private buffer: Buffer = Buffer.alloc(0);

  constructor(private readonly maxMessageBytes: number) {}

  /** Feeds bytes; returns what became complete. After an error the connection should be closed. */
  push(chunk: Buffer): FramerOutput[] {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const out: FramerOutput[] = [];
    for (;;) {
      const pings = this.skipKeepAlives();
      for (let i = 0; i < pings; i++) out.push({ kind: 'ping' });
      if (this.buffer.length === 0) return out;
      const end = findHeadEnd(this.buffer, 0);
      if (end === null) {
        if (this.buffer.length > this.maxMessageBytes) out.push({ kind: 'error', detail: 'header section too large' });
        return out;
      }
      const length = contentLengthOf(this.buffer.toString('utf8', 0, end.headEnd));
      if (length === 'invalid') {
        out.push({ kind: 'error', detail: 'invalid Content-Length' });
        return out;
      }
      const total = end.bodyStart + (length ?? 0);
      if (total > this.maxMessageBytes) {
        out.push({ kind: 'error', detail: 'message too large' });
        return out;
      }
      if (this.buffer.length < total) return out;
      out.push({ kind: 'message', data: this.buffer.subarray(0, total) });
      this.buffer = this.buffer.subarray(total);
    }
  }

  /** Drops leading CR/LF; counts each CRLFCRLF as one ping. */
  private skipKeepAlives(): number {
    let i = 0;
    while (i < this.buffer.length && (this.buffer[i] === 0x0d || this.buffer[i] === 0x0a)) i++;
    if (i === 0) return 0;
    const skipped = this.buffer.toString('latin1', 0, i);
    this.buffer = this.buffer.subarray(i);
    return skipped.split('\r\n\r\n').length - 1;
  }
}

/**
 * RTP fixed header, RFC 3550 §5.1 (with CSRC list, §5.3.1 header extension and padding).
 *
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |V=2|P|X|  CC   |M|     PT      |       sequence number         |
 *  |                           timestamp                           |
 *  |           synchronization source (SSRC) identifier            |
 *  |            contributing source (CSRC) identifiers ...         |
 *
 * Parsing never throws: anything a hostile or broken peer could send comes back as `null` and is dropped by the
 * caller (counted, not logged per packet).
 */

export const RTP_VERSION = 2;
export const RTP_HEADER_BYTES = 12;

export interface RtpHeaderExtension {
  /** "defined by profile" 16-bit field (RFC 3550 §5.3.1). */
  profile: number;
  data: Uint8Array;
}

export interface RtpPacket {
  padding: boolean;
  marker: boolean;
  payloadType: number;
  sequenceNumber: number;
  timestamp: number;
  ssrc: number;
  csrcs: number[];
  extension: RtpHeaderExtension | null;
  /** Payload without header, CSRCs, extension or padding (a view on the received buffer). */
  payload: Uint8Array;
}

/** Parses one datagram; null if it is not a well-formed RTP version 2 packet. */
export function parseRtp(datagram: Uint8Array): RtpPacket | null {
  const length = datagram.length;
  if (length < RTP_HEADER_BYTES) return null;
  const b0 = datagram[0]!;
  const b1 = datagram[1]!;
  if (b0 >> 6 !== RTP_VERSION) return null;
  const padding = (b0 & 0x20) !== 0;
  const hasExtension = (b0 & 0x10) !== 0;
  const csrcCount = b0 & 0x0f;
  const view = new DataView(datagram.buffer, datagram.byteOffset, length);

  let offset = RTP_HEADER_BYTES;
  if (offset + csrcCount * 4 > length) return null;
  const csrcs: number[] = [];
  for (let i = 0; i < csrcCount; i++, offset += 4) csrcs.push(view.getUint32(offset));

  let extension: RtpHeaderExtension | null = null;
  if (hasExtension) {
    if (offset + 4 > length) return null;
    const profile = view.getUint16(offset);
    const extBytes = view.getUint16(offset + 2) * 4;
    offset += 4;
    if (offset + extBytes > length) return null;
    extension = { profile, data: datagram.subarray(offset, offset + extBytes) };
    offset += extBytes;
  }

  let end = length;
  if (padding) {
    // §5.1: the last octet counts the padding octets, itself included; zero or more than the rest is malformed.
    const padBytes = datagram[length - 1]!;
    if (padBytes === 0 || offset + padBytes > length) return null;
    end = length - padBytes;
  }

  return {
    padding,
    marker: (b1 & 0x80) !== 0,
    payloadType: b1 & 0x7f,
    sequenceNumber: view.getUint16(2),
    timestamp: view.getUint32(4),
    ssrc: view.getUint32(8),
    csrcs,
    extension,
    payload: datagram.subarray(offset, end),
  };
}

export interface RtpSendHeader {
  marker: boolean;
  payloadType: number;
  sequenceNumber: number;
  timestamp: number;
  ssrc: number;
}

/**
 * Writes a 12-byte header (no CSRC, no extension, no padding) at the start of `out`. This is the hot path for
 * every packet we send, so it writes into a buffer the caller already sized for header + payload.
 */
export function writeRtpHeader(out: Uint8Array, header: RtpSendHeader): void {
  out[0] = RTP_VERSION << 6;
  out[1] = (header.marker ? 0x80 : 0) | (header.payloadType & 0x7f);
  out[2] = (header.sequenceNumber >>> 8) & 0xff;
  out[3] = header.sequenceNumber & 0xff;
  writeUint32(out, 4, header.timestamp);
  writeUint32(out, 8, header.ssrc);
}

/** Full serializer (CSRCs, extension, padding) — the inverse of parseRtp, for tests and tools. */
export function serializeRtp(packet: RtpSendHeader & {
  payload: Uint8Array;
  csrcs?: readonly number[];
  extension?: RtpHeaderExtension | null;
  /** Padding octets to append (1..255), 0 for none. */
  paddingBytes?: number;
}): Buffer {
  const csrcs = packet.csrcs ?? [];
  if (csrcs.length > 15) throw new RangeError('RTP allows at most 15 CSRCs');
  const ext = packet.extension ?? null;
  if (ext && ext.data.length % 4 !== 0) throw new RangeError('RTP header extension length must be a multiple of 4');
  const paddingBytes = packet.paddingBytes ?? 0;
  if (paddingBytes < 0 || paddingBytes > 255) throw new RangeError('RTP padding must be 0..255 octets');

  const headerBytes = RTP_HEADER_BYTES + csrcs.length * 4 + (ext ? 4 + ext.data.length : 0);
  const out = Buffer.alloc(headerBytes + packet.payload.length + paddingBytes);
  writeRtpHeader(out, packet);
  out[0] = (RTP_VERSION << 6) | (paddingBytes > 0 ? 0x20 : 0) | (ext ? 0x10 : 0) | csrcs.length;
  let offset = RTP_HEADER_BYTES;
  for (const csrc of csrcs) {
    writeUint32(out, offset, csrc);
    offset += 4;
  }
  if (ext) {
    out.writeUInt16BE(ext.profile & 0xffff, offset);
    out.writeUInt16BE(ext.data.length / 4, offset + 2);
    out.set(ext.data, offset + 4);
    offset += 4 + ext.data.length;
  }
  out.set(packet.payload, offset);
  if (paddingBytes > 0) out[out.length - 1] = paddingBytes;
  return out;
}

function writeUint32(out: Uint8Array, offset: number, value: number): void {
  out[offset] = (value >>> 24) & 0xff;
  out[offset + 1] = (value >>> 16) & 0xff;
  out[offset + 2] = (value >>> 8) & 0xff;
  out[offset + 3] = value & 0xff;
}

/** Modular comparison of 16-bit sequence numbers (RFC 3550 appendix A.1): is `a` after `b`? */
export function seqIsNewer(a: number, b: number): boolean {
  const diff = (a - b) & 0xffff;
  return diff !== 0 && diff < 0x8000;
}

/** Signed distance `a - b` between two 32-bit RTP timestamps, in (-2^31, 2^31]. */
export function timestampDiff(a: number, b: number): number {
  return ((a - b) | 0);
}

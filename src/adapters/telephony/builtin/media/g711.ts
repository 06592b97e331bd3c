/**
 * G.711 (ITU-T G.711) µ-law = PCMU (static payload type 0) and A-law = PCMA (static payload type 8), RFC 3551 §4.5.14.
 * Sample conversion comes from `alawmulaw`; PCMU<->PCMA transcoding for bridges uses 256-entry tables built
 * from it once, so a bridged packet costs one table lookup per byte.
 */
import alawmulaw from 'alawmulaw';
import type { G711Codec } from './media-engine.js';

export const PCMU_PAYLOAD_TYPE = 0;
export const PCMA_PAYLOAD_TYPE = 8;
export const G711_SAMPLE_RATE_HZ = 8000;

/** The encoded value of a zero sample: what we pad a prompt's last frame with. */
// (alawmulaw's encodeSample can return the byte sign-extended, e.g. -1 for 0xff: mask it.)
export const G711_SILENCE: Readonly<Record<G711Codec, number>> = {
  PCMU: alawmulaw.mulaw.encodeSample(0) & 0xff,
  PCMA: alawmulaw.alaw.encodeSample(0) & 0xff,
};

export function staticPayloadType(codec: G711Codec): number {
  return codec === 'PCMU' ? PCMU_PAYLOAD_TYPE : PCMA_PAYLOAD_TYPE;
}

/** The codec of a static G.711 payload type, null for anything else. */
export function codecOfStaticPayloadType(payloadType: number): G711Codec | null {
  if (payloadType === PCMU_PAYLOAD_TYPE) return 'PCMU';
  if (payloadType === PCMA_PAYLOAD_TYPE) return 'PCMA';
  return null;
}

export function encodeG711(codec: G711Codec, samples: Int16Array): Uint8Array {
  return codec === 'PCMU' ? alawmulaw.mulaw.encode(samples) : alawmulaw.alaw.encode(samples);
}

export function decodeG711(codec: G711Codec, encoded: Uint8Array): Int16Array {
  return codec === 'PCMU' ? alawmulaw.mulaw.decode(encoded) : alawmulaw.alaw.decode(encoded);
}

function buildTable(decode: (b: number) => number, encode: (s: number) => number): Uint8Array {
  const table = new Uint8Array(256);
  for (let byte = 0; byte < 256; byte++) table[byte] = encode(decode(byte)) & 0xff;
  return table;
}

const MULAW_TO_ALAW = buildTable(alawmulaw.mulaw.decodeSample, alawmulaw.alaw.encodeSample);
const ALAW_TO_MULAW = buildTable(alawmulaw.alaw.decodeSample, alawmulaw.mulaw.encodeSample);

/**
 * Converts a G.711 payload from one law to the other (through 16-bit linear). Returns the input itself when the
 * codecs are equal, else a new array.
 */
export function transcodeG711(from: G711Codec, to: G711Codec, encoded: Uint8Array): Uint8Array {
  if (from === to) return encoded;
  const table = from === 'PCMU' ? MULAW_TO_ALAW : ALAW_TO_MULAW;
  const out = new Uint8Array(encoded.length);
  for (let i = 0; i < encoded.length; i++) out[i] = table[encoded[i]!]!;
  return out;
}

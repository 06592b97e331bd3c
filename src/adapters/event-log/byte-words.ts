/**
 * Known byte strings (an event type and its closing quote, a `,"key":`) compared with a chunk four bytes at
 * a time: V8 spends about as much on a one-byte read from a Buffer as on a four-byte DataView read, so a
 * 10-byte key costs three reads instead of ten, and no loop over a list of candidates.
 */

/** Bytes as little-endian 32-bit words, the last one zero-padded, with masks keeping only the real bytes. */
export interface ByteWords {
  /** How many bytes the words stand for. */
  byteLength: number;
  words: Int32Array;
  masks: Int32Array;
}

export function toByteWords(bytes: Uint8Array): ByteWords {
  const count = Math.ceil(bytes.length / 4);
  const words = new Int32Array(count);
  const masks = new Int32Array(count);
  for (let i = 0; i < bytes.length; i++) {
    const shift = (i & 3) * 8;
    words[i >> 2] = (words[i >> 2] ?? 0) | ((bytes[i] ?? 0) << shift);
    masks[i >> 2] = (masks[i >> 2] ?? 0) | (0xff << shift);
  }
  return { byteLength: bytes.length, words, masks };
}

/**
 * Whether the chunk holds exactly these bytes at `p`. False too when comparing whole words would read at
 * or past `n` (the chunk's length): the caller then looks byte by byte.
 */
export function bytesAt(view: DataView, p: number, n: number, w: ByteWords): boolean {
  const { words, masks } = w;
  if (p + words.length * 4 > n) return false;
  for (let i = 0; i < words.length; i++) if ((view.getInt32(p + i * 4, true) & (masks[i] ?? 0)) !== words[i]) return false;
  return true;
}

/** A small number (0-255) from two words: picks the candidates for the eight bytes at a position. */
export function wordPairSignature(w0: number, w1: number): number {
  return Math.imul(w0 ^ Math.imul(w1, 0x85ebca6b), 0x9e3779b1) >>> 24;
}

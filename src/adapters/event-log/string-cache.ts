/**
 * ASCII string values by their bytes, direct-mapped by a hash the decoder computes while it scans them: the
 * ids, queues and states of a log repeat (a call's id is on its ten-odd events, an agent's on thousands), so
 * most values come back as the string made the first time. No allocation then, equal values are the same
 * string (comparisons by reference), and a Map lookup finds the string's hash already computed.
 */

/** Entries (a power of two), and the longest string kept. */
const ENTRIES = 4096;
const MAX_BYTES = 24;

/** The hash step the decoder applies per byte of a string value, from 0: `hash = stringHashStep(hash, byte)`. */
export function stringHashStep(hash: number, byte: number): number {
  return (Math.imul(hash, 31) + byte) | 0;
}

export class StringCache {
  private readonly values: Array<string | undefined> = Array.from({ length: ENTRIES }, () => undefined);
  private readonly lengths = new Int32Array(ENTRIES);
  private readonly kept = new Uint8Array(ENTRIES * MAX_BYTES);

  /**
   * The string of the ASCII bytes[start, end), `hash` being of those bytes. A new string is a copy, never a
   * slice of a larger one (a slice would keep a whole chunk alive as long as the cache or the fold holds it).
   */
  get(bytes: Buffer, start: number, end: number, hash: number): string {
    const length = end - start;
    if (length > MAX_BYTES) return bytes.toString('latin1', start, end);
    const slot = (hash ^ (hash >>> 12)) & (ENTRIES - 1);
    const at = slot * MAX_BYTES;
    const kept = this.kept;
    if (this.lengths[slot] === length) {
      let i = 0;
      while (i < length && kept[at + i] === bytes[start + i]) i++;
      const value = this.values[slot];
      if (i === length && value !== undefined) return value;
    }
    const value = bytes.toString('latin1', start, end);
    kept.set(bytes.subarray(start, end), at);
    this.lengths[slot] = length;
    this.values[slot] = value;
    return value;
  }
}

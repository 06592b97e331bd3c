/**
 * String values already seen at one key position of one event type (an agent's id, a state, a queue, a call
 * id on its ten-odd events), matched with a line's bytes four at a time: a hit needs neither the byte-by-byte
 * scan for the closing quote nor the string cache's hash and byte compare. A value is kept with its closing
 * quote, so a match is the whole value (no longer value with the same start) and, its bytes having passed the
 * scan when first kept, holds no quote, backslash or line end.
 *
 * Direct-mapped by the first four bytes at the value's start (for a value shorter than that, the bytes after
 * it too: the same value then followed by another key is another entry): no allocation once an entry is made.
 */

/** Entries (a power of two), and the longest value kept, in words of four bytes (its closing quote included). */
const ENTRIES = 128;
const ENTRY_WORDS = 6;
const SHIFT = 32 - Math.log2(ENTRIES);

export class ValueTable {
  /** After find() hit: the offset just past the value's closing quote. */
  end = 0;
  private readonly words = new Int32Array(ENTRIES * ENTRY_WORDS);
  /** Bytes of each entry, its closing quote included (0: empty). */
  private readonly lengths = new Int32Array(ENTRIES);
  private readonly values: Array<string | undefined> = Array.from({ length: ENTRIES }, () => undefined);

  /**
   * The value kept for the string starting at `p` (just after its opening quote) in the chunk (`view`, `n`
   * its length), or undefined: then the caller scans it and may remember() it.
   */
  find(view: DataView, p: number, n: number): string | undefined {
    if (p + 4 > n) return undefined;
    const first = view.getInt32(p, true);
    const slot = Math.imul(first, 0x9e3779b1) >>> SHIFT;
    const length = this.lengths[slot] ?? 0;
    // Whole words are read: the last one may pass the value by up to three bytes, never the chunk.
    if (length === 0 || p + ((length + 3) & ~3) > n) return undefined;
    const words = this.words;
    const at = slot * ENTRY_WORDS;
    const full = length >> 2;
    let i = 0;
    for (; i < full; i++) if (view.getInt32(p + i * 4, true) !== words[at + i]) return undefined;
    const rest = length & 3;
    // The last word's bytes past the value are not compared.
    if (rest !== 0 && (view.getInt32(p + i * 4, true) & ((1 << (rest * 8)) - 1)) !== words[at + i]) return undefined;
    this.end = p + length;
    return this.values[slot];
  }

  /** Keeps `value` for the bytes [p, quote] (the value and its closing quote at `quote`), if short enough. */
  remember(view: DataView, p: number, quote: number, n: number, value: string): void {
    const length = quote + 1 - p;
    if (length > ENTRY_WORDS * 4 || p + Math.max(4, (length + 3) & ~3) > n) return;
    const slot = Math.imul(view.getInt32(p, true), 0x9e3779b1) >>> SHIFT;
    const at = slot * ENTRY_WORDS;
    for (let i = 0; i < length >> 2; i++) this.words[at + i] = view.getInt32(p + i * 4, true);
    const rest = length & 3;
    if (rest !== 0) this.words[at + (length >> 2)] = view.getInt32(p + (length & ~3), true) & ((1 << (rest * 8)) - 1);
    this.lengths[slot] = length;
    this.values[slot] = value;
  }
}

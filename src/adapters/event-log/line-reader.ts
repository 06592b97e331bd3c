/**
 * Reads a file as lines without a string per line: each chunk's complete lines come as one piece, and a
 * reader walks the lines in place, slicing only what it keeps (a month of logs is tens of millions of
 * lines; every allocation counts).
 */
import { isAscii } from 'node:buffer';
import { createReadStream } from 'node:fs';

const NEWLINE = 0x0a;

/**
 * Whole lines of a file, in order, as bytes: one or more lines, each ending in LF (the file's last line
 * too, even when the file does not end in one: the reader decides whether such a line is whole). A line
 * spread over chunks that passed the limit comes alone, as `oversized` with no bytes.
 */
export interface LineChunk {
  bytes: Buffer;
  oversized: boolean;
}

export interface LineGroup {
  /** Line number (1-based) of the group's first line in the file. */
  firstLineNo: number;
  text: string;
  /** Two numbers per line: its start and end offsets in `text`; a start of -1 marks a line over the limit. */
  bounds: number[];
}

/**
 * The lines of a file, one or two chunks of text per chunk read. Splitting happens on LF bytes before
 * decoding (UTF-8 never uses 0x0A inside a multi-byte character); the partial last line of a chunk is kept
 * as bytes until its LF arrives. The stream's async iterator pulls one chunk at a time, so backpressure holds.
 */
export async function* readLineChunks(path: string, maxLineBytes: number, chunkBytes: number, onBytes?: (bytesRead: number) => void): AsyncGenerator<LineChunk> {
  const stream = createReadStream(path, { highWaterMark: chunkBytes });
  let carry: Buffer[] = [];
  let carryBytes = 0;
  let oversized = false;
  let bytesRead = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    bytesRead += chunk.length;
    onBytes?.(bytesRead);
    const firstNl = chunk.indexOf(NEWLINE);
    if (firstNl === -1) {
      // No line ends in this chunk: it all belongs to the current line.
      if (!oversized) {
        carry.push(chunk);
        carryBytes += chunk.length;
        if (carryBytes > maxLineBytes) [oversized, carry, carryBytes] = [true, [], 0];
      }
      continue;
    }
    let mainStart = 0;
    if (oversized || carryBytes > 0) {
      // The line begun in earlier chunks ends at firstNl: a chunk of its own.
      if (oversized || carryBytes + firstNl > maxLineBytes) yield OVERSIZED;
      else yield { bytes: Buffer.concat([...carry, chunk.subarray(0, firstNl + 1)]), oversized: false };
      [oversized, carry, carryBytes] = [false, [], 0];
      mainStart = firstNl + 1;
    }
    const lastNl = chunk.lastIndexOf(NEWLINE);
    if (lastNl >= mainStart) yield { bytes: chunk.subarray(mainStart, lastNl + 1), oversized: false };
    if (lastNl + 1 < chunk.length) {
      const rest = chunk.subarray(lastNl + 1);
      if (rest.length > maxLineBytes) oversized = true;
      else [carry, carryBytes] = [[rest], rest.length];
    }
  }
  if (oversized) yield OVERSIZED;
  // The file's last line without its LF gets one: every chunk then ends in LF, so a reader scanning for the
  // end of a line never reads past the chunk (it still decides whether that line is whole).
  else if (carryBytes > 0) yield { bytes: Buffer.concat([...carry, LF]), oversized: false };
}

const OVERSIZED: LineChunk = { bytes: Buffer.alloc(0), oversized: true };
const LF = Buffer.from('\n');

/**
 * Whether the line text[start, end) is over `maxLineBytes` in UTF-8. Characters ≤ bytes ≤ 3 × characters:
 * the bytes are counted only when the limit could be passed.
 */
export function lineTooLong(text: string, start: number, end: number, maxLineBytes: number): boolean {
  return (end - start) * 3 > maxLineBytes && Buffer.byteLength(text.slice(start, end)) > maxLineBytes;
}

/** The lines of a file with their offsets, one or two groups per chunk read (readers that want every line). */
export async function* readLineGroups(path: string, maxLineBytes: number, chunkBytes: number, onBytes?: (bytesRead: number) => void): AsyncGenerator<LineGroup> {
  let lineNo = 0;
  for await (const chunk of readLineChunks(path, maxLineBytes, chunkBytes, onBytes)) {
    const firstLineNo = lineNo + 1;
    if (chunk.oversized) {
      lineNo++;
      yield { firstLineNo, text: '', bounds: [-1, -1] };
      continue;
    }
    const text = decode(chunk.bytes);
    const bounds: number[] = [];
    for (let start = 0; start < text.length; ) {
      let nl = text.indexOf('\n', start);
      if (nl === -1) nl = text.length;
      const over = lineTooLong(text, start, nl, maxLineBytes);
      bounds.push(over ? -1 : start, over ? -1 : nl);
      start = nl + 1;
    }
    lineNo += bounds.length / 2;
    yield { firstLineNo, text, bounds };
  }
}

/** UTF-8 to a string; pure-ASCII bytes (nearly every event line) take the cheaper one-byte copy. */
function decode(bytes: Buffer): string {
  return isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
}

/** The lines of a group as strings (null for a line over the limit), for readers that want every line. */
export function linesOf(group: LineGroup): Array<string | null> {
  const out: Array<string | null> = [];
  for (let i = 0; i < group.bounds.length; i += 2) {
    const start = group.bounds[i] ?? -1;
    out.push(start < 0 ? null : group.text.slice(start, group.bounds[i + 1]));
  }
  return out;
}

/**
 * Reads a file as lines without a string per line: each chunk's complete lines are decoded to one string,
 * and lines are given as [start, end) offsets into it. A reader looks at a line in place and slices only
 * the lines it keeps (a month of logs is tens of millions of lines; every allocation counts).
 */
import { isAscii } from 'node:buffer';
import { createReadStream } from 'node:fs';

const NEWLINE = 0x0a;

export interface LineGroup {
  /** Line number (1-based) of the group's first line in the file. */
  firstLineNo: number;
  text: string;
  /** Two numbers per line: its start and end offsets in `text`; a start of -1 marks a line over the limit. */
  bounds: number[];
}

/**
 * The lines of a file, one or two groups per chunk read. Splitting happens on LF bytes before decoding
 * (UTF-8 never uses 0x0A inside a multi-byte character); the partial last line of a chunk is kept as bytes
 * until its LF arrives. A last line without LF is still given: the reader decides whether it is whole.
 * The stream's async iterator pulls one chunk at a time, so backpressure holds.
 */
export async function* readLineGroups(path: string, maxLineBytes: number, chunkBytes: number, onBytes?: (bytesRead: number) => void): AsyncGenerator<LineGroup> {
  const stream = createReadStream(path, { highWaterMark: chunkBytes });
  let carry: Buffer[] = [];
  let carryBytes = 0;
  let oversized = false;
  let lineNo = 0;
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
      // The line begun in earlier chunks ends at firstNl: a group of its own.
      lineNo++;
      if (oversized || carryBytes + firstNl > maxLineBytes) yield { firstLineNo: lineNo, text: '', bounds: [-1, -1] };
      else {
        const text = Buffer.concat([...carry, chunk.subarray(0, firstNl)]).toString('utf8');
        yield { firstLineNo: lineNo, text, bounds: [0, text.length] };
      }
      [oversized, carry, carryBytes] = [false, [], 0];
      mainStart = firstNl + 1;
    }
    const lastNl = chunk.lastIndexOf(NEWLINE);
    if (lastNl >= mainStart) {
      const text = decode(chunk.subarray(mainStart, lastNl + 1));
      const bounds: number[] = [];
      let start = 0;
      for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
        // Characters ≤ bytes ≤ 3 × characters: measure exactly only when the limit could be passed.
        const over = (nl - start) * 3 > maxLineBytes && Buffer.byteLength(text.slice(start, nl)) > maxLineBytes;
        bounds.push(over ? -1 : start, over ? -1 : nl);
        start = nl + 1;
      }
      yield { firstLineNo: lineNo + 1, text, bounds };
      lineNo += bounds.length / 2;
    }
    if (lastNl + 1 < chunk.length) {
      const rest = chunk.subarray(lastNl + 1);
      if (rest.length > maxLineBytes) oversized = true;
      else [carry, carryBytes] = [[rest], rest.length];
    }
  }
  if (oversized || carryBytes > 0) {
    lineNo++;
    if (oversized) yield { firstLineNo: lineNo, text: '', bounds: [-1, -1] };
    else {
      const text = Buffer.concat(carry, carryBytes).toString('utf8');
      yield { firstLineNo: lineNo, text, bounds: [0, text.length] };
    }
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

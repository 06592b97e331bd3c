/**
 * The `%` guard. drachtio-modesl's Parser#_parseHeaderText runs decodeURIComponent on every header value of
 * every event-socket frame (command replies, plain events, the CHANNEL_DATA of each outbound connection). A
 * value with a `%` that is not a valid escape ("100%", "%zz", a lone "%E4") throws URIError — inside the
 * socket's 'data' handler, so the exception is uncaught and takes the whole process (every call) down.
 *
 * We replace that one method with our own tolerant parser: the same result for well-formed input, and for a
 * malformed escape the raw text instead of an exception. Installed once, by the library loader, before any
 * connection is made.
 */

const ESCAPE_RUN = /(?:%[0-9A-Fa-f]{2})+/g;

/**
 * Percent-decoding that never throws: valid UTF-8 escape runs are decoded, anything else (a bare `%`, `%zz`,
 * an escape run that is not UTF-8) is kept as it was.
 */
export function decodeEslValue(raw: string): string {
  if (!raw.includes('%')) return raw;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw.replace(ESCAPE_RUN, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        return run;
      }
    });
  }
}

/**
 * A header block ("Name: value" per line, values URL-encoded by FreeSWITCH) as drachtio-modesl returns it:
 * the first ": " splits name and value, Content-Length becomes a number.
 */
export function parseEslHeaderText(text: string): Record<string, string | number> {
  const headers: Record<string, string | number> = {};
  for (const line of text.split('\n')) {
    const at = line.indexOf(': ');
    const key = at === -1 ? line : line.slice(0, at);
    // An empty key is the blank line that ends a block. A line without ": " becomes a key with an empty
    // value, as modesl has it.
    if (key.length === 0) continue;
    const value = at === -1 ? '' : decodeEslValue(line.slice(at + 2));
    headers[key] = key === 'Content-Length' ? Number.parseInt(value, 10) : value;
  }
  return headers;
}

export interface ParserPrototype {
  _parseHeaderText?: (text: string) => Record<string, string | number>;
}

/** Marks a prototype we already patched, so a second install is a no-op. */
const GUARDED = Symbol.for('hotline.eslDecodeGuard');

/**
 * Replaces Parser.prototype._parseHeaderText. Returns false (and changes nothing) if the library no longer
 * has that method — a newer drachtio-modesl — so the caller can log that the guard is not in place.
 */
export function installEslDecodeGuard(proto: ParserPrototype): boolean {
  if (typeof proto._parseHeaderText !== 'function') return false;
  const marked = proto as ParserPrototype & { [GUARDED]?: true };
  if (marked[GUARDED]) return true;
  proto._parseHeaderText = parseEslHeaderText;
  marked[GUARDED] = true;
  return true;
}

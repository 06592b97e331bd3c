/**
 * `text/event-plain` events for the shared-socket tests, built on a real FreeSWITCH header block: the
 * CHANNEL_DATA that FreeSWITCH 1.10.12 sent on an outbound connection (fixtures/real/esl-outbound-dtmf-bargein.jsonl,
 * ~170 URL-encoded headers, as switch_event_serialize writes them). An event is that block with its name,
 * channel and a few headers changed, serialized the way switch_event_serialize does: `Name: value` lines with
 * values URL-encoded (switch_url_encode), then either a blank line, or `Content-Length: n`, a blank line and
 * the body. The outer frame is `Content-Length` (bytes), `Content-Type: text/event-plain`, blank line, event.
 */
import { readTranscript } from './esl-replay.js';

/** The recorded header lines, without the outbound connect reply's own headers. */
const REAL_LINES: readonly string[] = (() => {
  const record = readTranscript('esl-outbound-dtmf-bargein.jsonl').find((r) => r.dir === 'in' && r.data.startsWith('Event-Name: CHANNEL_DATA'));
  if (record === undefined) throw new Error('the recorded CHANNEL_DATA is missing');
  return record.data.split('\n').filter((l) => l !== '' && !/^(Reply-Text|Socket-Mode|Control|Content-Type): /.test(l));
})();

/** The uuid of the recorded channel. */
export const RECORDED_UUID = '1e063806-a057-4cda-aa3a-767f4882d0b7';

const URL_UNSAFE = new Set('\r\n "#%&+:;<=>?@[\\]^`{|}');

/** FreeSWITCH's switch_url_encode: control, non-ASCII and URL-unsafe bytes as %XX. */
export function fsUrlEncode(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const ch = String.fromCharCode(byte);
    out += byte < 0x20 || byte > 0x7e || URL_UNSAFE.has(ch) ? `%${byte.toString(16).toUpperCase().padStart(2, '0')}` : ch;
  }
  return out;
}

export interface PlainEventOptions {
  /** Headers put right after Event-Name, ahead of every recorded one (to test look-ups by name). */
  first?: ReadonlyArray<readonly [string, string]>;
  /** The event's body (after its header block). */
  body?: string;
  /** Header values written as they are, not URL-encoded (what FreeSWITCH sometimes lets through). */
  raw?: Record<string, string>;
}

/**
 * An event of channel `uuid`: the recorded block with Event-Name, the channel's ids and `headers` set (a
 * recorded header keeps its place, a new one goes at the end).
 */
export function plainEvent(eventName: string, uuid: string, headers: Record<string, string> = {}, opts: PlainEventOptions = {}): string {
  const wanted = new Map<string, string>([
    ['Event-Name', fsUrlEncode(eventName)],
    ['Unique-ID', fsUrlEncode(uuid)],
    ['Channel-Unique-ID', fsUrlEncode(uuid)],
    ['Caller-Unique-ID', fsUrlEncode(uuid)],
  ]);
  for (const [name, value] of Object.entries(headers)) wanted.set(name, fsUrlEncode(value));
  for (const [name, value] of Object.entries(opts.raw ?? {})) wanted.set(name, value);
  const lines: string[] = [];
  for (const line of REAL_LINES) {
    const name = line.slice(0, line.indexOf(': '));
    const value = wanted.get(name);
    if (value === undefined) lines.push(line);
    else {
      lines.push(`${name}: ${value}`);
      wanted.delete(name);
    }
    if (name === 'Event-Name') for (const [n, v] of opts.first ?? []) lines.push(`${n}: ${fsUrlEncode(v)}`);
  }
  for (const [name, value] of wanted) lines.push(`${name}: ${value}`);
  const head = `${lines.join('\n')}\n`;
  return opts.body === undefined ? `${head}\n` : `${head}Content-Length: ${Buffer.byteLength(opts.body)}\n\n${opts.body}`;
}

/** The outer event-socket frame around an event. */
export function plainFrame(event: string): string {
  return `Content-Length: ${Buffer.byteLength(event)}\nContent-Type: text/event-plain\n\n${event}`;
}

/** An outer frame with headers and an optional body (Content-Length in bytes). */
export function eslFrame(headers: string, body?: string): string {
  return body === undefined ? `${headers}\n\n` : `Content-Length: ${Buffer.byteLength(body)}\n${headers}\n\n${body}`;
}

/**
 * The `%` guard, on recorded event-socket frames: our parser, the patch, and drachtio-modesl's real Parser fed
 * the frames through a fake socket (when the package is installed).
 */
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  decodeEslValue,
  installEslDecodeGuard,
  parseEslHeaderText,
  type ParserPrototype,
} from '../../../src/adapters/telephony/drachtio-freeswitch/esl-decode-guard.js';

const fixture = (name: string): string => readFileSync(path.join(import.meta.dirname, 'fixtures', name), 'utf8');

function realParser(): (new (socket: EventEmitter) => EventEmitter & ParserPrototype) | undefined {
  try {
    const req = createRequire(import.meta.url);
    const fromFsmrf = createRequire(req.resolve('drachtio-fsmrf'));
    return (fromFsmrf('drachtio-modesl') as { Parser: new (socket: EventEmitter) => EventEmitter & ParserPrototype }).Parser;
  } catch {
    return undefined;
  }
}
const Parser = realParser();

describe('percent-decoding that never throws', () => {
  it('decodes valid escapes, UTF-8 included', () => {
    expect(decodeEslValue('drachtio-fsmrf%3A7d1b')).toBe('drachtio-fsmrf:7d1b');
    expect(decodeEslValue('%E7%8E%8B%E5%B0%8F%E6%98%8E')).toBe('王小明');
    expect(decodeEslValue('plain')).toBe('plain');
  });

  it('keeps what is not an escape instead of throwing', () => {
    expect(() => decodeURIComponent('100% sure')).toThrow(URIError);
    expect(decodeEslValue('100% sure')).toBe('100% sure');
    expect(decodeEslValue('%zz not an escape')).toBe('%zz not an escape');
    expect(decodeEslValue('50%')).toBe('50%');
    // A valid escape next to a broken one: the valid one is still decoded.
    expect(decodeEslValue('a%20b 9%')).toBe('a b 9%');
    // An escape run that is not UTF-8 stays as it was.
    expect(decodeEslValue('x%E4y')).toBe('x%E4y');
  });

  it('reads a header block like drachtio-modesl does', () => {
    const text = fixture('esl-channel-data.txt').split('\n\n')[0]!;
    const h = parseEslHeaderText(text);
    expect(h['Content-Type']).toBe('command/reply');
    expect(h['Caller-Caller-ID-Name']).toBe('王小明');
    expect(h['variable_sip_user_agent']).toBe('drachtio-fsmrf:7d1b3a52-3c1e-4fb5-9c6a-0a1b2c3d4e5f');
    expect(h['variable_sip_from_display']).toBe('50%');
    expect(h['variable_hotline_note']).toBe('%zz not an escape');
    expect(parseEslHeaderText('Content-Type: api/response\nContent-Length: 42')).toEqual({ 'Content-Type': 'api/response', 'Content-Length': 42 });
  });
});

describe('installing the guard', () => {
  it('replaces _parseHeaderText once, and says so when the method is gone', () => {
    const proto: ParserPrototype = { _parseHeaderText: () => ({}) };
    expect(installEslDecodeGuard(proto)).toBe(true);
    expect(proto._parseHeaderText).toBe(parseEslHeaderText);
    expect(installEslDecodeGuard(proto)).toBe(true);
    expect(installEslDecodeGuard({})).toBe(false);
  });

  it.skipIf(Parser === undefined)("makes drachtio-modesl's own Parser survive a stray % (recorded frames)", () => {
    const P = Parser!;
    const original = P.prototype._parseHeaderText!;
    // The defect itself: unguarded, the library's method throws on this header value.
    if (original !== parseEslHeaderText) expect(() => original.call({}, 'Reply-Text: -ERR 100% sure')).toThrow(URIError);
    installEslDecodeGuard(P.prototype);
    const socket = new EventEmitter();
    const parser = new P(socket);
    const events: Array<{ headers: Record<string, unknown> }> = [];
    parser.on('esl::event', (_event: unknown, headers: Record<string, unknown>) => events.push({ headers }));
    // Unguarded, this frame threw URIError inside the socket's data handler: an uncaught exception.
    socket.emit('data', Buffer.from(fixture('esl-command-reply-percent.txt')));
    socket.emit('data', Buffer.from(fixture('esl-channel-data.txt')));
    expect(events).toHaveLength(2);
    expect(events[0]!.headers['Reply-Text']).toBe('-ERR invalid command: 100% sure');
    expect(events[1]!.headers['variable_sip_from_display']).toBe('50%');
  });
});

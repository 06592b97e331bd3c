/**
 * One write per event-socket command, the same bytes as drachtio-modesl's own Connection#send (compared with
 * the real library's method on a recording socket), and the same failure report.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { eslCommandText, installEslSendCoalescing, type ConnectionPrototype, type EslSendTarget } from '../../../src/adapters/telephony/drachtio-freeswitch/esl-send.js';

function recorder(): EslSendTarget & { writes: string[]; errors: unknown[] } {
  const writes: string[] = [];
  const errors: unknown[] = [];
  return { writes, errors, socket: { write: (d: string) => writes.push(d) }, emit: (_e: string, err: unknown) => errors.push(err) };
}

const cases: Array<[string, Record<string, unknown> | undefined]> = [
  ['connect', undefined],
  ['sendmsg 1e063806-a057-4cda-aa3a-767f4882d0b7', { 'execute-app-name': 'playback', 'execute-app-arg': '/tmp/p.wav', 'call-command': 'execute', 'Event-UUID': 'f1' }],
  ['api status', {}],
];

describe('event-socket commands in one write', () => {
  it('the same bytes as drachtio-modesl writes in pieces', () => {
    let original: ConnectionPrototype['send'] | undefined;
    try {
      const fromFsmrf = createRequire(createRequire(import.meta.url).resolve('drachtio-fsmrf'));
      const proto = (fromFsmrf('drachtio-modesl') as { Connection: { prototype: ConnectionPrototype & Record<symbol, unknown> } }).Connection.prototype;
      if (proto[Symbol.for('hotline.eslSendCoalesced')] !== true) original = proto.send;
    } catch {
      // the package is not installed: compare with the documented framing only
    }
    for (const [command, args] of cases) {
      const ours = recorder();
      const proto: ConnectionPrototype = { send: () => undefined };
      expect(installEslSendCoalescing(proto)).toBe(true);
      proto.send!.call(ours, command, args);
      expect(ours.writes).toHaveLength(1);
      expect(ours.writes[0]).toBe(eslCommandText(command, args));
      if (original) {
        const theirs = recorder();
        original.call(theirs, command, args);
        expect(theirs.writes.join('')).toBe(ours.writes[0]);
      }
    }
    expect(eslCommandText('api status')).toBe('api status\n\n');
  });

  it('a gone socket is an error event, not a throw; installing twice is harmless', () => {
    const proto: ConnectionPrototype = { send: () => undefined };
    installEslSendCoalescing(proto);
    const send = proto.send;
    expect(installEslSendCoalescing(proto)).toBe(true);
    expect(proto.send).toBe(send);
    const gone = { ...recorder(), socket: null };
    const errors: unknown[] = [];
    gone.emit = (_e: string, err: unknown) => errors.push(err);
    expect(() => proto.send!.call(gone, 'api status')).not.toThrow();
    expect(errors).toHaveLength(1);
    expect(installEslSendCoalescing({})).toBe(false);
  });
});

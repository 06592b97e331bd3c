/** A call leg's listeners, as both adapters keep them: throwing listeners are contained, hang-up is once. */
import { describe, expect, it } from 'vitest';
import { LegListeners } from '../../../src/adapters/telephony/leg-listeners.js';
import type { HangupEvent } from '../../../src/ports/call-control.js';

describe('LegListeners', () => {
  it('a listener that throws is reported and the others still run', () => {
    const errors: unknown[] = [];
    const l = new LegListeners((err) => errors.push(err));
    const digits: string[] = [];
    l.onDtmf(() => {
      throw new Error('boom');
    });
    l.onDtmf((ev) => digits.push(ev.digit));
    l.dtmfReceived({ digit: '5', source: 'rfc4733' });
    expect(digits).toEqual(['5']);
    expect(errors).toHaveLength(1);
  });

  it('hang-up listeners run once; one added after the end runs at once with how it ended', () => {
    const l = new LegListeners(() => undefined);
    const seen: HangupEvent[] = [];
    l.onHangup((ev) => seen.push(ev));
    l.hungUp({ by: 'remote', cause: 'bye' });
    l.hungUp({ by: 'local', cause: 'again' });
    l.onHangup((ev) => seen.push(ev));
    expect(seen).toEqual([
      { by: 'remote', cause: 'bye' },
      { by: 'remote', cause: 'bye' },
    ]);
  });

  it('takes transfers only with a listener', () => {
    const l = new LegListeners(() => undefined);
    expect(l.takesTransfers).toBe(false);
    const targets: string[] = [];
    l.onTransferRequest((r) => targets.push(r.target));
    expect(l.takesTransfers).toBe(true);
    l.transferRequested({ target: 'support', referTo: 'sip:support@127.0.0.1', done: () => undefined });
    expect(targets).toEqual(['support']);
  });
});

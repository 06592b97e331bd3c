/** No promise rejection from drachtio-fsmrf's use of dialogs may reach the process. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { guardDialog, guardedSrfForMrf } from '../../../src/adapters/telephony/drachtio-freeswitch/fsmrf-guards.js';
import { FakeDialog, FakeSrf, captureLogger } from './fakes.js';

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => void unhandled.push(reason);

beforeEach(() => {
  unhandled.length = 0;
  process.on('unhandledRejection', onUnhandled);
});
afterEach(() => {
  process.off('unhandledRejection', onUnhandled);
});

const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 20));

describe('fsmrf guards', () => {
  it('a dropped dialog.destroy() that rejects ("unable to find dialog") is handled', async () => {
    const { logger, lines } = captureLogger();
    const raw = new FakeDialog({ callId: 'c', localTag: 'l', remoteTag: 'r' });
    raw.destroyResult = Promise.reject(Object.assign(new Error('unable to find dialog'), { code: 'ENODIALOG' }));
    // Unguarded, this is exactly what MediaServer#createEndpoint's timeout does: call and drop.
    const guarded = guardDialog(raw.asSrf(), logger);
    void (guarded.destroy as () => unknown)();
    await tick();
    expect(unhandled).toEqual([]);
    expect(lines.some((l) => l['op'] === 'dialog.destroy' && String(l['err']).includes('unable to find dialog'))).toBe(true);
    // The caller who does await still sees the rejection.
    await expect(guarded.destroy()).rejects.toThrow('unable to find dialog');
    // Everything else passes through to the real dialog.
    expect(guarded.sip.callId).toBe('c');
    expect(guardDialog(guarded, logger)).toBe(guarded);
  });

  it('the Srf handed to drachtio-fsmrf returns guarded dialogs', async () => {
    const srf = new FakeSrf();
    const wrapped = guardedSrfForMrf(srf.asSrf(), captureLogger().logger);
    const p = wrapped.createUAC('sip:drachtio@127.0.0.1:5080', { localSdp: 'v=0' });
    const d = new FakeDialog({ callId: 'fs', localTag: 'l', remoteTag: 'r' });
    d.destroyResult = Promise.reject(new Error('unable to find dialog'));
    srf.uac[0]!.result.resolve(d.asSrf());
    const dialog = await p;
    void (dialog.destroy as () => unknown)();
    await tick();
    expect(unhandled).toEqual([]);
  });
});

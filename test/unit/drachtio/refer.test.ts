/** Blind transfer (REFER) on a drachtio leg: 202 and NOTIFYs, refusals, and no REFER left to drachtio-srf's 200. */
import { afterEach, describe, expect, it } from 'vitest';
import type { TransferRequest } from '../../../src/ports/call-control.js';
import { FakeRequest, FakeResponse, flush } from './fakes.js';
import { startHarness, type Harness } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.cc.close();
  h = undefined;
});

const refer = (referTo: string | undefined): FakeRequest =>
  new FakeRequest('REFER', 'sip:4008208820@127.0.0.1', { cseq: '7 REFER', ...(referTo !== undefined ? { 'refer-to': referTo } : {}) }, '', '');

describe('drachtio leg: REFER', () => {
  it('accepts with 202, NOTIFY 100 Trying, hands the target to the app, NOTIFY 200 when done', async () => {
    h = await startHarness();
    h.invite();
    const { call, dialog } = await h.answerLast();
    const got: TransferRequest[] = [];
    call.onTransferRequest?.((r) => got.push(r));
    const res = new FakeResponse();
    dialog.emit('refer', refer('<sip:support@127.0.0.1>').asSrf(), res.asSrf());
    await flush();
    expect(res.statuses).toEqual([202]);
    expect(got.map((r) => r.target)).toEqual(['support']);
    expect(dialog.requests[0]).toEqual({
      method: 'NOTIFY',
      headers: { Event: 'refer;id=7', 'Subscription-State': 'active;expires=60', 'Content-Type': 'message/sipfrag;version=2.0' },
      body: 'SIP/2.0 100 Trying\r\n',
    });
    got[0]!.done({ ok: true });
    got[0]!.done({ ok: false, sipStatus: 500 }); // once only
    expect(dialog.requests.slice(1)).toEqual([expect.objectContaining({ body: 'SIP/2.0 200 OK\r\n', headers: expect.objectContaining({ 'Subscription-State': 'terminated;reason=noresource' }) })]);
  });

  it('refuses without a listener (603), a bad Refer-To (400) and attended transfer (501)', async () => {
    h = await startHarness();
    h.invite();
    const { dialog, call } = await h.answerLast();
    const none = new FakeResponse();
    dialog.emit('refer', refer('<sip:support@127.0.0.1>').asSrf(), none.asSrf());
    expect(none.statuses).toEqual([603]);
    call.onTransferRequest?.(() => undefined);
    const missing = new FakeResponse();
    dialog.emit('refer', refer(undefined).asSrf(), missing.asSrf());
    expect(missing.statuses).toEqual([400]);
    const attended = new FakeResponse();
    dialog.emit('refer', refer('<sip:1002@127.0.0.1?Replaces=a%40b%3Bto-tag%3D1%3Bfrom-tag%3D2>').asSrf(), attended.asSrf());
    expect(attended.statuses).toEqual([501]);
    expect(dialog.requests).toEqual([]);
  });
});

/** What an in-dialog REFER asks for (RFC 3515): one Refer-To with a SIP URI; Replaces means attended transfer. */
import { describe, expect, it } from 'vitest';
import { checkRefer } from '../../../src/adapters/telephony/builtin/builtin-refer.js';

describe('checkRefer', () => {
  it('takes the user part of the one Refer-To as the target, name-addr or bare, %-escapes undone', () => {
    expect(checkRefer(['<sip:support@127.0.0.1>'])).toEqual({ ok: true, referTo: 'sip:support@127.0.0.1', target: 'support' });
    expect(checkRefer(['"Li Na" <sip:1002@hotline.local;transport=udp>'])).toMatchObject({ ok: true, target: '1002' });
    expect(checkRefer(['sip:%31003@127.0.0.1'])).toMatchObject({ ok: true, target: '1003' });
  });

  it('refuses a missing or repeated Refer-To, a non-SIP URI, a URI without a user (400)', () => {
    expect(checkRefer([])).toEqual({ ok: false, status: 400, reason: 'Missing Refer-To' });
    expect(checkRefer(['<sip:a@h>', '<sip:b@h>'])).toMatchObject({ ok: false, status: 400 });
    expect(checkRefer(['<tel:+8613800138000>'])).toMatchObject({ ok: false, status: 400 });
    expect(checkRefer(['<sip:127.0.0.1>'])).toMatchObject({ ok: false, status: 400, reason: 'Refer-To Has No User' });
    expect(checkRefer(['<<<garbage'])).toMatchObject({ ok: false, status: 400 });
  });

  it('refuses attended transfer (Refer-To with Replaces) with 501', () => {
    expect(checkRefer(['<sip:1002@127.0.0.1?Replaces=abc%40h%3Bto-tag%3D1%3Bfrom-tag%3D2>'])).toEqual({ ok: false, status: 501, reason: 'Attended Transfer Not Supported' });
  });
});

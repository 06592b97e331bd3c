/**
 * The adapter's mapping, fed messages recorded from real servers: drachtio-server 0.9.10 and FreeSWITCH
 * 1.10.12, built from source and run on 127.0.0.1 with asterisk-or-freeswitch/ (fixtures/real/, see the
 * README there). The messages go through the real libraries first — drachtio-srf's SipMessage/Request,
 * drachtio-modesl's Parser and Connection, drachtio-fsmrf's Endpoint — exactly as they did on the wire, and
 * then through our code. Skipped when the packages are not installed.
 */
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { installEslDecodeGuard, type ParserPrototype } from '../../../src/adapters/telephony/drachtio-freeswitch/esl-decode-guard.js';
import { FsChannel } from '../../../src/adapters/telephony/drachtio-freeswitch/fs-channel.js';
import {
  dtmfFromFs,
  getvarValue,
  isApiOk,
  parseFsStatus,
  parseShowChannels,
  plainRtpOffer,
  sofiaProfileAddress,
} from '../../../src/adapters/telephony/drachtio-freeswitch/fs-messages.js';
import { reconcileChannels } from '../../../src/adapters/telephony/drachtio-freeswitch/reconcile.js';
import { translateRegister } from '../../../src/adapters/telephony/drachtio-freeswitch/register-bridge.js';
import { SafetyNet } from '../../../src/adapters/telephony/drachtio-freeswitch/safety-net.js';
import type { EndpointApi, SrfRequest } from '../../../src/adapters/telephony/drachtio-freeswitch/types.js';
import { ManualClock } from '../../../src/domain/shared/fake-clock.js';
import type { DtmfEvent, HangupEvent } from '../../../src/ports/call-control.js';
import { ReplaySocket, readTranscript, type WireRecord } from './esl-replay.js';
import { FakeDialog, FakeResponse, flush } from './fakes.js';
import { startHarness, type Harness } from './harness.js';

const real = (name: string): string => readFileSync(path.join(import.meta.dirname, 'fixtures', 'real', name), 'utf8');
const drachtioMessages = JSON.parse(real('drachtio-messages.json')) as Record<string, string>;

interface EslEventLike {
  getHeader(name: string): string | undefined;
  getBody(): string | undefined;
}
interface Libs {
  Parser: new (socket: EventEmitter) => EventEmitter & ParserPrototype;
  Connection: new (socket: unknown, onReady?: () => void) => EventEmitter & { getInfo(): EslEventLike };
  Endpoint: new (conn: unknown, dialog: unknown, ms: unknown, opts: unknown) => EventEmitter;
  SipMessage: new (raw: string) => unknown;
  Request: new (msg: unknown, meta: Record<string, unknown>) => SrfRequest & EventEmitter;
}

const libs: Libs | undefined = (() => {
  try {
    const here = createRequire(import.meta.url);
    const fromFsmrf = createRequire(here.resolve('drachtio-fsmrf'));
    const fromSrf = createRequire(here.resolve('drachtio-srf'));
    const modesl = fromFsmrf('drachtio-modesl') as { Parser: Libs['Parser']; Connection: Libs['Connection'] };
    installEslDecodeGuard(modesl.Parser.prototype);
    return {
      Parser: modesl.Parser,
      Connection: modesl.Connection,
      Endpoint: fromFsmrf('./endpoint.js') as Libs['Endpoint'],
      SipMessage: fromSrf('./sip-parser/message.js') as Libs['SipMessage'],
      Request: fromSrf('./request.js') as Libs['Request'],
    };
  } catch {
    return undefined;
  }
})();
const describeReal = libs ? describe : describe.skip;

/** Frames as drachtio-modesl's (guarded) Parser makes events of them. */
function parseFrames(raw: string): EslEventLike[] {
  const socket = new EventEmitter();
  const parser = new libs!.Parser(socket);
  const events: EslEventLike[] = [];
  parser.on('esl::event', (e: EslEventLike) => events.push(e));
  socket.emit('data', Buffer.from(raw, 'utf8'));
  return events;
}
const apiBody = (name: string): string => parseFrames(real(name))[0]!.getBody() ?? '';

/** A request as drachtio-srf's agent builds it from drachtio-server's message (drachtio-agent.js _onMsg). */
function srfRequest(wire: string): SrfRequest & EventEmitter {
  const pos = wire.indexOf('\r\n');
  const token = wire.slice(0, pos).split('|');
  const meta = { source: token[2], protocol: token[4], address: token[5], port: token[6], time: token[7], transactionId: token[8], dialogId: token[9] };
  return new libs!.Request(new libs!.SipMessage(wire.slice(pos + 2)), meta);
}

const silent = pino({ level: 'silent' });

describeReal("FreeSWITCH's API replies (real frames, real Parser)", () => {
  it('status: sessions, limits and idle CPU for admission control', () => {
    expect(parseFsStatus(apiBody('esl-api-status.txt'), 7)).toEqual({ sessions: 0, maxSessions: 1000, sessionsPerSecondMax: 120, idleCpuPct: 13.07, sampledAtMs: 7 });
  });

  it('sofia status: the media profile address (tab-separated columns)', () => {
    expect(sofiaProfileAddress(apiBody('esl-api-sofia-status.txt'), 'hotline_mrf')).toBe('127.0.0.1:5080');
    expect(sofiaProfileAddress(apiBody('esl-api-sofia-status.txt'), 'drachtio_mrf')).toBeNull();
  });

  it('show channels as json, with a live channel and with none ({"row_count": 0}, a space and no rows)', () => {
    expect(parseShowChannels(apiBody('esl-api-show-channels.txt'))).toEqual([
      { uuid: 'a499505c-fe13-49b3-aa05-95254211571c', createdEpochSec: 1795488137, name: 'sofia/hotline_mrf/nobody@127.0.0.1:5060' },
    ]);
    expect(apiBody('esl-api-show-channels-empty.txt').trim()).toBe('{"row_count": 0}');
    expect(parseShowChannels(apiBody('esl-api-show-channels-empty.txt'))).toEqual([]);
  });

  it('uuid_getvar and uuid_break replies', () => {
    expect(getvarValue(apiBody('esl-api-uuid-getvar.txt'))).toBe('hotline-contract');
    expect(getvarValue(apiBody('esl-api-uuid-getvar-unknown.txt'))).toBeUndefined();
    expect(apiBody('esl-api-uuid-getvar-unknown.txt').trim()).toBe('-ERR No such channel!');
    expect(isApiOk(apiBody('esl-api-uuid-break.txt'))).toBe(true);
  });

  it('reconcile: an orphan of this instance (by its X-Hotline-Instance) is killed; a channel we hold is not lost', async () => {
    const uuid = 'a499505c-fe13-49b3-aa05-95254211571c';
    const answers: Record<string, string> = {
      'show channels as json': apiBody('esl-api-show-channels.txt'),
      [`uuid_getvar ${uuid} sip_h_X-Hotline-Instance`]: apiBody('esl-api-uuid-getvar.txt'),
      [`uuid_kill ${uuid}`]: '+OK\n',
    };
    const sent: string[] = [];
    const api = async (cmd: string): Promise<string> => {
      sent.push(cmd);
      return answers[cmd] ?? '-ERR unexpected\n';
    };
    const base = { api, nowSec: () => 1795488137 + 600, graceSec: 30 };
    const mine = await reconcileChannels({ ...base, known: () => new Set(), instanceId: 'hotline-contract' });
    expect(mine).toEqual({ killed: [uuid], lost: [], channelsOnServer: 1 });
    expect(sent).toContain(`uuid_kill ${uuid}`);
    sent.length = 0;
    const theirs = await reconcileChannels({ ...base, known: () => new Set(), instanceId: 'another-instance' });
    expect(theirs.killed).toEqual([]);
    expect(sent.some((c) => c.startsWith('uuid_kill'))).toBe(false);
    const held = await reconcileChannels({ ...base, known: () => new Set([uuid, 'gone-1']), instanceId: 'hotline-contract' });
    expect(held).toEqual({ killed: [], lost: ['gone-1'], channelsOnServer: 1 });
  });

  it('a reply with a "%" that is no escape: readable with the guard, where plain decoding throws', () => {
    const raw = real('esl-filter-reply-percent.txt');
    expect(raw).toContain('[X-Hotline-Load]=[100%zz]');
    expect(() => decodeURIComponent('+OK filter added. [X-Hotline-Load]=[100%zz]')).toThrow(URIError);
    const [reply] = parseFrames(raw);
    expect(reply!.getHeader('Reply-Text')).toBe('+OK filter added. [X-Hotline-Load]=[100%zz]');
    expect(parseFrames(real('esl-auth-accepted.txt'))[0]!.getHeader('Reply-Text')).toBe('+OK accepted');
  });
});

describeReal('a channel on a recorded outbound event-socket connection (real Connection and Endpoint)', () => {
  interface Rig {
    channel: FsChannel;
    socket: ReplaySocket;
    dialog: FakeDialog;
    apis: string[];
    ep: EventEmitter & { uuid: string };
  }

  async function rig(transcript: ReturnType<typeof readTranscript>, opts: { is3pcc: boolean; holdAt?: (r: WireRecord) => boolean }): Promise<Rig> {
    const socket = new ReplaySocket(transcript, opts.holdAt);
    let conn!: InstanceType<Libs['Connection']>;
    const ready = new Promise<void>((resolve) => {
      conn = new libs!.Connection(socket, () => resolve());
    });
    await ready;
    const dialog = new FakeDialog({ callId: 'fs-leg', localTag: 'a', remoteTag: 'b' });
    const ep = new libs!.Endpoint(conn, dialog, {}, { is3pcc: opts.is3pcc }) as EventEmitter & { uuid: string };
    await new Promise<void>((resolve) => ep.once('ready', () => resolve()));
    const apis: string[] = [];
    const clock = new ManualClock(0);
    const api = async (cmd: string): Promise<string> => {
      apis.push(cmd);
      return cmd.startsWith('uuid_break') ? apiBody('esl-api-uuid-break.txt') : '+OK\n';
    };
    const safety = new SafetyNet({ api, clock, horizonSec: 300, logger: silent });
    const channel = new FsChannel(ep as unknown as EndpointApi, { api, safety, clock }, silent);
    return { channel, socket, dialog, apis, ep };
  }

  let cleanup: (() => void) | undefined;
  afterEach(() => cleanup?.());

  it('RFC 4733 digit during a prompt: FreeSWITCH\'s DTMF event → "1" from rfc4733, barge-in (uuid_break), then hang-up', async () => {
    const r = await rig(readTranscript('esl-outbound-dtmf-bargein.jsonl'), { is3pcc: false });
    cleanup = () => r.socket.close();
    expect(r.channel.uuid).toBe('1e063806-a057-4cda-aa3a-767f4882d0b7');
    // CHANNEL_DATA's variable_rtp_local_sdp_str: FreeSWITCH's answer to the caller.
    expect(r.channel.localSdp).toMatch(/^m=audio \d+ RTP\/AVP 0 101/m);
    const digits: DtmfEvent[] = [];
    r.channel.onDtmf((d) => digits.push(d));
    const outcome = await r.channel.play(['/tmp/hl-media/hotline-contract-fRtT9n/menu-440-long.wav'], { bargeIn: true, loop: false });
    expect(outcome).toBe('interrupted');
    expect(digits).toEqual([{ digit: '1', source: 'rfc4733' }]);
    expect(r.apis).toContain(`uuid_break ${r.channel.uuid} all`);
    // Our commands on the wire, in the recorded order: subscribe, filter, the playback, then the hang-up.
    const released = r.channel.release();
    await flush();
    r.dialog.emit('destroy'); // FreeSWITCH's BYE (drachtio's side of the same hang-up)
    await released;
    expect(r.socket.commands.map((c) => c.split('\n')[0])).toEqual([
      'connect',
      expect.stringMatching(/^event json CHANNEL_EXECUTE CHANNEL_EXECUTE_COMPLETE .*DTMF/),
      `filter Unique-ID ${r.channel.uuid}`,
      `sendmsg ${r.channel.uuid}`,
      `sendmsg ${r.channel.uuid}`,
    ]);
    expect(r.socket.commands[3]).toContain('execute-app-name: playback');
    expect(r.socket.commands[4]).toContain('execute-app-name: hangup');
    expect(r.socket.pump()).toBe(0); // every recorded frame was delivered
  });

  it("FreeSWITCH ends the channel itself (CHANNEL_CALLSTATE HANGUP, NORMAL_CLEARING): 'media-server-normal-clearing', not by us", async () => {
    // The agent's leg of a bridged call; its hang-up came after our own command in the recording, which is
    // left out here so that FreeSWITCH's events arrive unasked, as they do when it hangs up by itself.
    const transcript = readTranscript('esl-outbound-bridged-hangup.jsonl').filter((r) => !(r.dir === 'out' && r.data.includes('execute-app-name: hangup')));
    const r = await rig(transcript, { is3pcc: true, holdAt: (f) => f.dir === 'in' && f.data.includes('"Channel-Call-State":"HANGUP"') });
    cleanup = () => r.socket.close();
    const gone = new Promise<{ cause: string; byUs: boolean }>((resolve) => r.channel.onGone(resolve));
    expect(r.channel.gone).toBe(false);
    expect(r.socket.release()).toBe(0);
    expect(await gone).toEqual({ cause: 'media-server-normal-clearing', byUs: false });
    expect(r.channel.gone).toBe(true);
    expect(await r.channel.play(['/p/x.wav'], { bargeIn: false, loop: false })).toBe('hangup');
  });

  it('FreeSWITCH hangs up before the channel is ours (between drachtio-fsmrf\'s ready and our listener): gone from the start', async () => {
    const transcript = readTranscript('esl-outbound-bridged-hangup.jsonl').filter((r) => !(r.dir === 'out' && r.data.includes('execute-app-name: hangup')));
    const r = await rig(transcript, { is3pcc: true });
    cleanup = () => r.socket.close();
    expect(r.channel.gone).toBe(true);
    const gone = await new Promise<{ cause: string; byUs: boolean }>((resolve) => r.channel.onGone(resolve));
    expect(gone).toEqual({ cause: 'media-server-hangup', byUs: false });
  });

  it("FreeSWITCH's DTMF event fields, as drachtio-fsmrf hands them over", () => {
    const frame = readTranscript('esl-outbound-dtmf-bargein.jsonl').find((r) => r.dir === 'in' && r.data.includes('"Event-Name":"DTMF"'))!;
    const body = JSON.parse(frame.data.slice(frame.data.indexOf('\n\n') + 2)) as Record<string, string>;
    expect({ digit: body['DTMF-Digit'], source: body['DTMF-Source'] }).toEqual({ digit: '1', source: 'RTP' });
    expect(dtmfFromFs({ dtmf: body['DTMF-Digit'], source: body['DTMF-Source'] })).toEqual({ digit: '1', source: 'rfc4733' });
  });
});

describeReal("drachtio-server's messages (real wire messages, drachtio-srf's Request)", () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.cc.close();
    h = undefined;
  });

  it('INVITEs from baresip and SIPp: caller, dialled number, source', async () => {
    h = await startHarness();
    for (const [name, from, source] of [
      ['invite-baresip-sdp', '13800138000', 'udp:127.0.0.1:41433'],
      ['invite-sipp-dtmf', '13800138000', 'udp:127.0.0.1:52082'],
    ] as const) {
      const req = srfRequest(drachtioMessages[name]!);
      const res = new FakeResponse();
      h.srf.inviteHandler!(req, res.asSrf());
      const call = h.calls.at(-1)!;
      expect({ from: call.from, to: call.to, source: call.source }).toEqual({ from, to: '4001', source });
      expect(res.sent).toEqual([]); // admitted: no 415 for the SDP body, no 503
      await call.reject(486);
      expect(res.statuses).toEqual([486]);
    }
  });

  it('CANCEL: drachtio-srf emits it on the INVITE; the call ends as a remote "cancel"', async () => {
    h = await startHarness();
    const req = srfRequest(drachtioMessages['invite-then-cancelled']!);
    h.srf.inviteHandler!(req, new FakeResponse().asSrf());
    const call = h.calls.at(-1)!;
    const ended = new Promise<HangupEvent>((resolve) => call.onHangup(resolve));
    const cancel = new libs!.SipMessage(drachtioMessages['cancel']!.slice(drachtioMessages['cancel']!.indexOf('\r\n') + 2)) as { method: string };
    expect(cancel.method).toBe('CANCEL');
    req.emit('cancel', cancel);
    expect(await ended).toEqual({ by: 'remote', cause: 'cancel' });
  });

  it('INFO with application/dtmf-relay: "5" and "#" from sip-info, each answered 200', async () => {
    h = await startHarness();
    h.invite();
    const { call, dialog } = await h.answerLast();
    const digits: DtmfEvent[] = [];
    call.onDtmf((d) => digits.push(d));
    for (const name of ['info-dtmf-relay-5', 'info-dtmf-relay-hash']) {
      const res = new FakeResponse();
      dialog.emit('info', srfRequest(drachtioMessages[name]!), res.asSrf());
      expect(res.statuses).toEqual([200]);
    }
    expect(digits).toEqual([
      { digit: '5', source: 'sip-info' },
      { digit: '#', source: 'sip-info' },
    ]);
  });

  it("REGISTER from baresip, with and without digest credentials: the registrar's request", () => {
    const plain = translateRegister(srfRequest(drachtioMessages['register-no-credentials']!));
    const digest = translateRegister(srfRequest(drachtioMessages['register-digest']!));
    expect(plain.ok && digest.ok).toBe(true);
    if (!plain.ok || !digest.ok) return;
    expect(plain.request).toMatchObject({ aorUser: '1001', transport: 'udp', sourceHost: '127.0.0.1', sourcePort: 38287 });
    expect(plain.request.authorization).toBeUndefined();
    expect(digest.request).toMatchObject({ aorUser: '1001', transport: 'udp', sourceHost: '127.0.0.1', sourcePort: 38287 });
    expect(digest.request.authorization).toBeDefined();
  });

  it("FreeSWITCH's offer for an agent's leg with SRTP 'optional' (its default): only the plain RTP/AVP audio goes to the phone", () => {
    const dual = real('fs-3pcc-offer-srtp-optional.sdp');
    expect(dual.match(/^m=audio/gm)).toHaveLength(2);
    const plain = plainRtpOffer(dual);
    expect(plain.match(/^m=audio .*$/gm)).toEqual(['m=audio 34514 RTP/AVP 0 8 101 13']);
    expect(plain).not.toContain('a=crypto');
    expect(plain).toMatch(/^v=0\r\n/);
    // What our configuration makes FreeSWITCH offer (rtp_secure_media=forbidden) is left as it is.
    const wire = drachtioMessages['freeswitch-200-3pcc-offer']!;
    const offer = new libs!.SipMessage(wire.slice(wire.indexOf('\r\n') + 2)) as { status: number; body: string };
    expect(offer.status).toBe(200);
    expect(offer.body).toMatch(/^m=audio \d+ RTP\/AVP /m);
    expect(plainRtpOffer(offer.body)).toBe(offer.body);
  });
});

/**
 * EslMediaServer on the fake event socket (127.0.0.1, recorded replies) and a fake Srf: the connect sequence,
 * a leg's uuid from its 200 OK or its CHANNEL_PARK (before or after the 200, or never: 5 s on a ManualClock),
 * events routed by Unique-ID, the connection's end.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { EslMediaServer } from '../../../src/adapters/telephony/drachtio-freeswitch/esl-media-server.js';
import type { EndpointApi, FsDtmfArgs } from '../../../src/adapters/telephony/drachtio-freeswitch/types.js';
import { ManualClock } from '../../../src/domain/shared/fake-clock.js';
import { plainEvent, plainFrame } from './esl-plain.js';
import { FakeEventSocket, until } from './fake-event-socket.js';
import { FS_ANSWER_SDP, FS_OFFER_SDP, FakeDialog, FakeSrf, captureLogger, flush } from './fakes.js';
import { watch } from './promise-watch.js';

const UUID_A = '7a0c3f52-9b1e-4d6a-8c2f-1e3d5a7b9c01';
const UUID_B = '7a0c3f52-9b1e-4d6a-8c2f-1e3d5a7b9c02';

let cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn();
  cleanup = [];
});

async function start(prepare: (es: FakeEventSocket) => void = () => undefined) {
  const es = await FakeEventSocket.start();
  cleanup.push(() => es.close());
  prepare(es);
  const srf = new FakeSrf();
  const clock = new ManualClock();
  const { logger } = captureLogger();
  const connecting = EslMediaServer.connect(
    { host: '127.0.0.1', port: es.port, secret: es.password, listenAddress: '127.0.0.1', profile: 'hotline_mrf', connectTimeoutMs: 3000, logger, channelControl: 'shared-socket' },
    srf.asSrf(),
    clock,
  );
  connecting.then((ms) => cleanup.push(() => ms.disconnect())).catch(() => undefined);
  return { es, srf, clock, connecting };
}

async function connected() {
  const s = await start();
  return { ...s, ms: await s.connecting };
}

/** FreeSWITCH's 200 OK to the leg's INVITE, with or without the dialplan's X-Hotline-Channel. */
function answer(srf: FakeSrf, index: number, channel?: string): FakeDialog {
  const dialog = new FakeDialog({ callId: `uac-${index + 1}@hotline`, localTag: 'a', remoteTag: 'b' }, '', FS_ANSWER_SDP);
  Object.assign(dialog, { res: { get: (name: string) => (name === 'X-Hotline-Channel' ? channel : undefined) } });
  srf.uac[index]!.result.resolve(dialog.asSrf());
  return dialog;
}

/** The leg's token: the user part of the INVITE's Request-URI. */
const tokenOf = (srf: FakeSrf, index: number): string => /^sip:([^@]+)@/.exec(srf.uac[index]!.uri)![1]!;

const park = (uuid: string, token: string, first?: Array<[string, string]>) =>
  plainFrame(plainEvent('CHANNEL_PARK', uuid, { 'Caller-Destination-Number': token, 'Channel-Destination-Number': token }, first === undefined ? {} : { first }));

describe('EslMediaServer.connect', () => {
  it('authenticates, checks sofia status, subscribes to plain events and sets the filters, in that order', async () => {
    const { es } = await connected();
    expect(es.lines).toEqual([
      'auth ClueCon-test',
      'api sofia status',
      'event plain CHANNEL_PARK CHANNEL_EXECUTE_COMPLETE CHANNEL_HANGUP_COMPLETE DTMF',
      'filter Event-Name CHANNEL_PARK',
      'filter Event-Name DTMF',
      'filter Event-Name CHANNEL_HANGUP_COMPLETE',
      'filter Application playback',
    ]);
  });

  it('rejects naming the profile when sofia status does not list it, and closes the connection', async () => {
    const { es, connecting } = await start((e) => (e.sofiaStatus = e.sofiaStatus.replace('hotline_mrf', 'internal')));
    await expect(connecting).rejects.toMatchObject({ code: 'HOTLINE_E_DFS_MEDIA_SERVER', message: expect.stringMatching(/^FreeSWITCH has no running SIP profile "hotline_mrf".*\n.*internal/s) as unknown });
    await until(() => es.socket.destroyed || es.socket.readableEnded, 'the connection closed');
    expect(es.lines).toEqual(['auth ClueCon-test', 'api sofia status']);
  });

  it('rejects when a filter is refused, and closes the connection', async () => {
    const { es, connecting } = await start((e) => (e.override = (cmd) => (cmd.head === 'filter Event-Name DTMF' ? 'Content-Type: command/reply\nReply-Text: -ERR no\n\n' : undefined)));
    await expect(connecting).rejects.toThrow('FreeSWITCH refused filter: -ERR no');
    await until(() => es.socket.destroyed || es.socket.readableEnded, 'the connection closed');
  });

  it('passes API commands through', async () => {
    const { ms } = await connected();
    expect(await ms.api('status')).toContain('session(s)');
  });
});

describe('EslMediaServer.createEndpoint', () => {
  it("INVITEs the profile's address with X-Hotline-Control: esl and takes the uuid from the 200's X-Hotline-Channel", async () => {
    const { ms, srf, clock } = await connected();
    const creating = ms.createEndpoint({ remoteSdp: FS_OFFER_SDP, headers: { 'X-Hotline-Instance': 'app-1' } });
    await flush();
    expect(srf.uac).toHaveLength(1);
    expect(srf.uac[0]!.uri).toMatch(/^sip:hotline-leg-[0-9a-f]{12}-1@127\.0\.0\.1:5080$/);
    expect(srf.uac[0]!.opts).toEqual({ headers: { 'X-Hotline-Instance': 'app-1', 'X-Hotline-Control': 'esl' }, localSdp: FS_OFFER_SDP });
    const dialog = answer(srf, 0, ` ${UUID_A} `);
    const ep = await creating;
    expect(ep.uuid).toBe(UUID_A);
    expect(ep.dialog).toBe(dialog);
    expect(ep.local.sdp).toBe(FS_ANSWER_SDP);
    expect(clock.timerCount).toBe(0);
  });

  it('an INVITE without SDP for an agent leg; each leg its own token (one prefix per connection)', async () => {
    const { ms, srf } = await connected();
    const first = ms.createEndpoint();
    const second = ms.createEndpoint();
    await flush();
    expect(srf.uac[0]!.opts).toEqual({ headers: { 'X-Hotline-Control': 'esl' } });
    expect(tokenOf(srf, 1)).toBe(tokenOf(srf, 0).replace(/-1$/, '-2'));
    answer(srf, 0, UUID_A);
    answer(srf, 1, UUID_B);
    expect((await first).uuid).toBe(UUID_A);
    expect((await second).uuid).toBe(UUID_B);
  });

  it('takes the uuid from a CHANNEL_PARK that comes after the 200 (no X-Hotline-Channel)', async () => {
    const { ms, srf, es, clock } = await connected();
    const creating = watch(ms.createEndpoint());
    await flush();
    answer(srf, 0);
    await flush();
    expect(creating.state).toBe('pending');
    es.send(park(UUID_B, 'hotline-leg-99-00000000'));
    es.send(park(UUID_A, tokenOf(srf, 0)));
    await until(() => creating.state !== 'pending', 'the endpoint');
    expect(creating.value?.uuid).toBe(UUID_A);
    expect(clock.timerCount).toBe(0);
  });

  it('takes the uuid from a CHANNEL_PARK that came before the 200 (the first one: a later PARK does not replace it)', async () => {
    const { ms, srf, es } = await connected();
    const creating = watch(ms.createEndpoint());
    await flush();
    es.send(park(UUID_A, tokenOf(srf, 0)));
    es.send(park(UUID_B, tokenOf(srf, 0)));
    expect(await ms.api('status')).toContain('session(s)'); // the PARK, sent first, has been read
    answer(srf, 0);
    await until(() => creating.state !== 'pending', 'the endpoint');
    expect(creating.value?.uuid).toBe(UUID_A);
  });

  it('matches the token in Caller-Destination-Number only, and ignores an X-Hotline-Channel that is no uuid', async () => {
    const { ms, srf, es } = await connected();
    const creating = watch(ms.createEndpoint());
    await flush();
    answer(srf, 0, 'not a uuid!');
    const token = tokenOf(srf, 0);
    es.send(
      plainFrame(
        plainEvent('CHANNEL_PARK', UUID_B, { 'Caller-Destination-Number': 'someone-else', 'Channel-Destination-Number': token }, { first: [['Other-Caller-Destination-Number', token]] }),
      ),
    );
    es.send(park(UUID_A, token));
    await until(() => creating.state !== 'pending', 'the endpoint');
    expect(creating.value?.uuid).toBe(UUID_A);
  });

  it('no uuid within 5 s of the 200: the dialog is destroyed and the error names the dialplan', async () => {
    const { ms, srf, es, clock } = await connected();
    const creating = watch(ms.createEndpoint());
    await flush();
    const dialog = answer(srf, 0);
    await flush();
    clock.advance(4999);
    await flush();
    expect(creating.state).toBe('pending');
    clock.advance(1);
    await flush();
    expect(creating.state).toBe('rejected');
    expect(creating.error).toMatchObject({ code: 'HOTLINE_E_DFS_MEDIA_SERVER', message: expect.stringMatching(/never named its channel \(X-Hotline-Channel, CHANNEL_PARK\).*dialplan/) as unknown });
    expect(dialog.destroyed).toBe(1);
    // A PARK after giving up makes no endpoint: its DTMF goes nowhere, the next leg still works.
    es.send(park(UUID_A, tokenOf(srf, 0)));
    const next = ms.createEndpoint();
    await flush();
    answer(srf, 1, UUID_B);
    expect((await next).uuid).toBe(UUID_B);
  });

  it('rejects and forgets the leg when the INVITE fails', async () => {
    const { ms, srf, es } = await connected();
    const creating = ms.createEndpoint();
    await flush();
    srf.uac[0]!.result.reject(new Error('Sip non-success response: 503'));
    await expect(creating).rejects.toThrow('503');
    es.send(park(UUID_A, tokenOf(srf, 0)));
    expect(await ms.api('status')).toContain('session(s)');
  });
});

describe('EslMediaServer events and end', () => {
  async function twoEndpoints() {
    const s = await connected();
    const a = s.ms.createEndpoint();
    const b = s.ms.createEndpoint();
    await flush();
    answer(s.srf, 0, UUID_A);
    answer(s.srf, 1, UUID_B);
    const eps = [await a, await b] as const;
    const dtmf: Record<string, FsDtmfArgs[]> = { [UUID_A]: [], [UUID_B]: [] };
    const destroys: Record<string, Array<{ reason?: string } | undefined>> = { [UUID_A]: [], [UUID_B]: [] };
    for (const ep of eps as readonly EndpointApi[]) {
      ep.on('dtmf', (args) => dtmf[ep.uuid]!.push(args));
      ep.on('destroy', (info) => destroys[ep.uuid]!.push(info));
    }
    return { ...s, eps, dtmf, destroys };
  }

  it('routes events to the endpoint named by Unique-ID (not Other-Leg-Unique-ID)', async () => {
    const { es, ms, dtmf, destroys } = await twoEndpoints();
    es.send(plainFrame(plainEvent('DTMF', UUID_B, { 'DTMF-Digit': '7', 'DTMF-Duration': '2240', 'DTMF-Source': 'RTP' }, { first: [['Other-Leg-Unique-ID', UUID_A]] })));
    es.send(plainFrame(plainEvent('DTMF', 'ffffffff-0000-4000-8000-000000000000', { 'DTMF-Digit': '9' })));
    es.send(plainFrame(plainEvent('CHANNEL_HANGUP_COMPLETE', UUID_A, { 'Hangup-Cause': 'ORIGINATOR_CANCEL' })));
    expect(await ms.api('status')).toContain('session(s)');
    expect(dtmf).toEqual({ [UUID_A]: [], [UUID_B]: [{ dtmf: '7', duration: '2240', source: 'RTP' }] });
    expect(destroys).toEqual({ [UUID_A]: [{ reason: 'ORIGINATOR_CANCEL' }], [UUID_B]: [] });
  });

  it('runs an execute over the shared socket, completed by the CHANNEL_EXECUTE_COMPLETE with its Application-UUID', async () => {
    const { es, eps } = await twoEndpoints();
    const played = watch(eps[1].execute('playback', '/prompts/menu.wav'));
    await until(() => es.lines.at(-1) === `sendmsg ${UUID_B}`, 'the sendmsg');
    const sent = es.commands.at(-1)!;
    expect(sent.head).toContain('\nexecute-app-name: playback\n');
    expect(sent.body).toBe('/prompts/menu.wav');
    const id = /^Event-UUID: (.+)$/m.exec(sent.head)![1]!;
    es.send(plainFrame(plainEvent('CHANNEL_EXECUTE_COMPLETE', UUID_A, { Application: 'playback', 'Application-UUID': id })));
    es.send(plainFrame(plainEvent('CHANNEL_EXECUTE_COMPLETE', UUID_B, { Application: 'playback', 'Application-UUID': 'hotline-other', 'Application-Response': 'FILE PLAYED' })));
    await new Promise((r) => setTimeout(r, 20));
    expect(played.state).toBe('pending');
    es.send(plainFrame(plainEvent('CHANNEL_EXECUTE_COMPLETE', UUID_B, { Application: 'playback', 'Application-UUID': id, 'Application-Response': 'FILE PLAYED' })));
    await until(() => played.state !== 'pending', 'the playback');
    expect(played.value?.getHeader('Application-Response')).toBe('FILE PLAYED');
  });

  it("the connection's end ends every endpoint (EVENT_SOCKET_LOST) and emits 'end'", async () => {
    const { es, ms, eps, destroys } = await twoEndpoints();
    let ended = 0;
    ms.on('end', () => (ended += 1));
    es.send(plainFrame(plainEvent('CHANNEL_HANGUP_COMPLETE', UUID_A, { 'Hangup-Cause': 'NORMAL_CLEARING' })));
    expect(await ms.api('status')).toContain('session(s)');
    es.socket.destroy();
    await until(() => ended > 0, "'end'");
    expect(ended).toBe(1);
    expect(destroys).toEqual({ [UUID_A]: [{ reason: 'NORMAL_CLEARING' }], [UUID_B]: [{ reason: 'EVENT_SOCKET_LOST' }] });
    expect(eps.map((ep) => ep.connected)).toEqual([false, false]);
    await expect(ms.api('status')).rejects.toThrow('FreeSWITCH event socket is closed (status)');
  });
});

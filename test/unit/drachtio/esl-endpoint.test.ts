/**
 * EslEndpoint: executes matched to their CHANNEL_EXECUTE_COMPLETE by Event-UUID, DTMF, the channel's end from
 * either side, our own hang-up. Events are plain events built on a recorded FreeSWITCH header block.
 */
import { describe, expect, it } from 'vitest';
import { EslEndpoint, reasonText, type EndpointHost } from '../../../src/adapters/telephony/drachtio-freeswitch/esl-endpoint.js';
import { EslEventView } from '../../../src/adapters/telephony/drachtio-freeswitch/esl-frames.js';
import type { FsDtmfArgs } from '../../../src/adapters/telephony/drachtio-freeswitch/types.js';
import { plainEvent } from './esl-plain.js';
import { FS_ANSWER_SDP, FakeDialog, FakeRequest, captureLogger, deferred, flush, type Deferred } from './fakes.js';
import { watch } from './promise-watch.js';

const UUID = '5b1e8a4c-2f0d-4c55-9f43-0c2b1d7f6a01';

class FakeHost implements EndpointHost {
  sent: Array<{ uuid: string; headers: Array<readonly [string, string]>; body: string | undefined; result: Deferred<string> }> = [];
  forgotten: string[] = [];
  private ids = 0;

  sendmsg(uuid: string, headers: ReadonlyArray<readonly [string, string]>, body?: string): Promise<string> {
    const result = deferred<string>();
    this.sent.push({ uuid, headers: [...headers], body, result });
    return result.promise;
  }

  nextExecuteId(): string {
    return `hotline-${(this.ids += 1)}`;
  }

  forget(uuid: string): void {
    this.forgotten.push(uuid);
  }
}

function setup() {
  const host = new FakeHost();
  const dialog = new FakeDialog({ callId: 'fs-1', localTag: 'a', remoteTag: 'b' }, '', FS_ANSWER_SDP);
  const { logger, lines } = captureLogger();
  const ep = new EslEndpoint(UUID, dialog.asSrf(), host, logger);
  const dtmf: FsDtmfArgs[] = [];
  const destroys: Array<{ reason?: string } | undefined> = [];
  ep.on('dtmf', (args: FsDtmfArgs) => dtmf.push(args));
  ep.on('destroy', (info?: { reason?: string }) => destroys.push(info));
  return { host, dialog, ep, dtmf, destroys, lines };
}

const ev = (name: string, headers: Record<string, string> = {}, first?: Array<[string, string]>) =>
  new EslEventView(plainEvent(name, UUID, headers, first === undefined ? {} : { first }));
const complete = (appUuid: string, response = 'FILE PLAYED') =>
  ev('CHANNEL_EXECUTE_COMPLETE', { Application: 'playback', 'Application-Response': response, 'Application-UUID': appUuid });

describe('EslEndpoint.execute', () => {
  it('sends sendmsg execute with a fresh Event-UUID and the argument as the body', () => {
    const { host, ep } = setup();
    void watch(ep.execute('playback', '/prompts/welcome.wav'));
    void watch(ep.execute('break'));
    expect(host.sent.map((s) => ({ uuid: s.uuid, headers: s.headers, body: s.body }))).toEqual([
      { uuid: UUID, headers: [['call-command', 'execute'], ['execute-app-name', 'playback'], ['Event-UUID', 'hotline-1']], body: '/prompts/welcome.wav' },
      { uuid: UUID, headers: [['call-command', 'execute'], ['execute-app-name', 'break'], ['Event-UUID', 'hotline-2']], body: '' },
    ]);
  });

  it('resolves with the CHANNEL_EXECUTE_COMPLETE whose Application-UUID is its own, in any order', async () => {
    const { host, ep } = setup();
    const a = watch(ep.execute('playback', 'a.wav'));
    const b = watch(ep.execute('playback', 'b.wav'));
    host.sent.forEach((s) => s.result.resolve('+OK'));
    ep.handle(ev('CHANNEL_EXECUTE', { Application: 'playback', 'Application-UUID': 'hotline-1' }));
    ep.handle(complete('hotline-9'));
    ep.handle(ev('CHANNEL_EXECUTE_COMPLETE', { Application: 'playback' }));
    await flush();
    expect([a.state, b.state]).toEqual(['pending', 'pending']);
    const done2 = complete('hotline-2', 'FILE NOT FOUND');
    ep.handle(done2);
    await flush();
    expect([a.state, b.state]).toEqual(['pending', 'resolved']);
    expect(b.value).toBe(done2);
    expect(b.value?.getHeader('Application-Response')).toBe('FILE NOT FOUND');
    ep.handle(complete('hotline-1'));
    await flush();
    expect(a.state).toBe('resolved');
    expect(a.value?.getHeader('Application-Response')).toBe('FILE PLAYED');
  });

  it('matches Application-UUID by its whole name (another header ending in it comes first)', async () => {
    const { host, ep } = setup();
    const a = watch(ep.execute('playback', 'a.wav'));
    host.sent[0]!.result.resolve('+OK');
    ep.handle(ev('CHANNEL_EXECUTE_COMPLETE', { 'Application-UUID': 'hotline-7' }, [['Other-Application-UUID', 'hotline-1']]));
    await flush();
    expect(a.state).toBe('pending');
    ep.handle(ev('CHANNEL_EXECUTE_COMPLETE', { 'Application-UUID': 'hotline-1' }, [['Other-Application-UUID', 'hotline-7']]));
    await flush();
    expect(a.state).toBe('resolved');
  });

  it('rejects when FreeSWITCH refuses the sendmsg; a late completion then does nothing', async () => {
    const { host, ep } = setup();
    const a = watch(ep.execute('playback', 'a.wav'));
    const b = watch(ep.execute('playback', 'b.wav'));
    host.sent[0]!.result.reject(new Error('FreeSWITCH refused sendmsg: -ERR invalid session id'));
    host.sent[1]!.result.reject('a string');
    await flush();
    expect(a.state).toBe('rejected');
    expect(a.error?.message).toBe('FreeSWITCH refused sendmsg: -ERR invalid session id');
    expect(b.state).toBe('rejected');
    expect(b.error).toMatchObject({ code: 'HOTLINE_E_DFS_MEDIA_SERVER', message: 'a string' });
    ep.handle(complete('hotline-1'));
    await flush();
    expect(a.state).toBe('rejected');
    expect(ep.connected).toBe(true);
  });

  it('rejects what is in flight when the channel ends, and refuses new executes without sending', async () => {
    const { host, ep } = setup();
    const a = watch(ep.execute('playback', 'a.wav'));
    host.sent[0]!.result.resolve('+OK');
    ep.handle(ev('CHANNEL_HANGUP_COMPLETE', { 'Hangup-Cause': 'NORMAL_CLEARING' }));
    await flush();
    expect(a.state).toBe('rejected');
    expect(a.error).toMatchObject({ code: 'HOTLINE_E_DFS_CALL_STATE', message: 'the channel ended' });
    await expect(ep.execute('playback', 'b.wav')).rejects.toMatchObject({ code: 'HOTLINE_E_DFS_CALL_STATE', message: 'playback: the channel is gone' });
    expect(host.sent).toHaveLength(1);
  });
});

describe('EslEndpoint events', () => {
  it("emits 'dtmf' with digit, duration and source from a DTMF event", () => {
    const { ep, dtmf } = setup();
    ep.handle(ev('DTMF', { 'DTMF-Digit': '5', 'DTMF-Duration': '2240', 'DTMF-Source': 'RTP' }));
    ep.handle(ev('DTMF', { 'DTMF-Digit': '#' }));
    ep.handle(ev('DTMF'));
    expect(dtmf).toEqual([{ dtmf: '5', duration: '2240', source: 'RTP' }, { dtmf: '#' }]);
  });

  it("CHANNEL_HANGUP_COMPLETE: 'destroy' once with its cause; the dialog stays for release(); no DTMF after", () => {
    const { host, ep, dialog, dtmf, destroys } = setup();
    ep.handle(ev('CHANNEL_PARK'));
    expect(destroys).toEqual([]);
    ep.handle(ev('CHANNEL_HANGUP_COMPLETE', { 'Hangup-Cause': 'NORMAL_CLEARING' }));
    ep.handle(ev('CHANNEL_HANGUP_COMPLETE', { 'Hangup-Cause': 'NORMAL_CLEARING' }));
    dialog.remoteBye();
    ep.handle(ev('DTMF', { 'DTMF-Digit': '1' }));
    expect(destroys).toEqual([{ reason: 'NORMAL_CLEARING' }]);
    expect(dtmf).toEqual([]);
    expect(ep.connected).toBe(false);
    expect(host.forgotten).toEqual([UUID]);
  });

  it("the dialog's BYE: 'destroy' once, with the cause from its Reason header; no dialog left", () => {
    const { host, ep, dialog, destroys } = setup();
    dialog.emit('destroy', new FakeRequest('BYE', 'sip:hotline@127.0.0.1', { reason: 'Q.850;cause=17;text="USER_BUSY"' }, '', '').asSrf());
    ep.handle(ev('CHANNEL_HANGUP_COMPLETE', { 'Hangup-Cause': 'NORMAL_CLEARING' }));
    expect(destroys).toEqual([{ reason: 'USER_BUSY' }]);
    expect(ep.dialog).toBeNull();
    expect(ep.connected).toBe(false);
    expect(host.forgotten).toEqual([UUID]);
  });

  it("a BYE without a Reason: 'destroy' with no reason", () => {
    const { ep, dialog, destroys } = setup();
    dialog.remoteBye();
    expect(destroys).toEqual([{}]);
    expect(ep.dialog).toBeNull();
  });

  it("a 'destroy' listener that throws is logged, not thrown into the event path", () => {
    const { ep, lines } = setup();
    ep.on('destroy', () => {
      throw new Error('listener bug');
    });
    expect(() => ep.handle(ev('CHANNEL_HANGUP_COMPLETE', { 'Hangup-Cause': 'NORMAL_CLEARING' }))).not.toThrow();
    expect(lines.some((l) => l['msg'] === 'channel end listener failed' && l['err'] === 'listener bug')).toBe(true);
  });

  it("shows FreeSWITCH's SDP as its local side", () => {
    expect(setup().ep.local.sdp).toBe(FS_ANSWER_SDP);
  });
});

describe('EslEndpoint.destroy', () => {
  it("sends BYE once, resolves when it is answered, and emits no 'destroy'", async () => {
    const { host, ep, dialog, destroys } = setup();
    const answered = deferred<unknown>();
    dialog.destroyResult = answered.promise;
    const pending = watch(ep.execute('playback', 'a.wav'));
    const first = watch(ep.destroy());
    const second = watch(ep.destroy());
    await flush();
    expect(dialog.destroyed).toBe(1);
    expect(ep.dialog).toBeNull();
    expect(ep.connected).toBe(false);
    expect(pending.state).toBe('rejected');
    expect(second.state).toBe('resolved');
    expect(first.state).toBe('pending');
    answered.resolve(undefined);
    await flush();
    expect(first.state).toBe('resolved');
    ep.handle(ev('CHANNEL_HANGUP_COMPLETE', { 'Hangup-Cause': 'NORMAL_CLEARING' }));
    dialog.remoteBye();
    expect(destroys).toEqual([]);
    expect(host.forgotten).toEqual([UUID]);
  });

  it('after FreeSWITCH hung up: still sends the BYE; after a BYE from FreeSWITCH: sends none', async () => {
    const a = setup();
    a.ep.handle(ev('CHANNEL_HANGUP_COMPLETE', { 'Hangup-Cause': 'NORMAL_CLEARING' }));
    await a.ep.destroy();
    expect(a.dialog.destroyed).toBe(1);
    const b = setup();
    b.dialog.remoteBye();
    await b.ep.destroy();
    expect(b.dialog.destroyed).toBe(0);
  });
});

describe('reasonText', () => {
  it("reads the text of a Reason header (RFC 3326), or nothing", () => {
    expect(reasonText('Q.850;cause=16;text="NORMAL_CLEARING"')).toBe('NORMAL_CLEARING');
    expect(reasonText('SIP;cause=200;text="Call completed elsewhere"')).toBe('Call completed elsewhere');
    expect(reasonText('Q.850 ; cause=17 ; TEXT=USER_BUSY')).toBe('USER_BUSY');
    expect(reasonText('Q.850;cause=16')).toBeUndefined();
    expect(reasonText('Q.850;cause=16;text=""')).toBeUndefined();
    expect(reasonText(undefined)).toBeUndefined();
  });
});

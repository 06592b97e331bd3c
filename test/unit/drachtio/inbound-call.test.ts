/**
 * The adapter's mapping of an inbound call, SIP ↔ port ↔ FreeSWITCH, on fakes of drachtio-srf/fsmrf and a
 * manual clock: what it sends where, and what the application sees.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { DtmfEvent, HangupEvent } from '../../../src/ports/call-control.js';
import { FS_ANSWER_SDP, FakeRequest, flush } from './fakes.js';
import { fixture, startHarness, type Harness } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.cc.close();
  h = undefined;
});

const events = (call: { onHangup(fn: (e: HangupEvent) => void): void; onDtmf(fn: (e: DtmfEvent) => void): void }) => {
  const hangups: HangupEvent[] = [];
  const digits: DtmfEvent[] = [];
  call.onHangup((e) => hangups.push(e));
  call.onDtmf((d) => digits.push(d));
  return { hangups, digits };
};

describe('inbound call: answer', () => {
  it("opens a FreeSWITCH channel with the caller's SDP, then sends 200 with FreeSWITCH's answer", async () => {
    h = await startHarness();
    const { req } = h.invite();
    expect(h.calls).toHaveLength(1);
    const call = h.calls[0]!;
    expect(call).toMatchObject({ from: '13800138000', to: '4008208820', source: 'udp:127.0.0.1:5099', legId: '3c26cd8f-1b9c-4d0e-9f7a-inbound@127.0.0.1' });
    expect(call.callId).toMatch(/^c[0-9a-z]+$/);
    const { ep } = await h.answerLast();
    expect(h.ms.creates[0]!.opts).toEqual({
      remoteSdp: req.body,
      headers: { 'X-Hotline-Instance': 'app-1', 'X-Hotline-Safety-Sec': '300', 'X-Hotline-Call-Id': call.callId },
    });
    expect(h.srf.uas[0]!.opts.localSdp).toBe(FS_ANSWER_SDP);
    expect(call.ended).toBe(false);
    expect(ep.destroyed).toBe(0);
    // Every line about the call carries its business call id (and the SIP Call-ID).
    const about = h.lines.filter((l) => /call|answer/i.test(String(l['msg'])) && l['msg'] !== 'drachtio: connected');
    expect(about.length).toBeGreaterThanOrEqual(2);
    for (const line of about) expect(line['callId'], JSON.stringify(line)).toBe(call.callId);
  });

  it('answers 488 when FreeSWITCH has no codec in common with the caller', async () => {
    h = await startHarness();
    h.ms.autoCreate = undefined;
    const { res } = h.invite();
    const call = h.calls[0]!;
    const { hangups } = events(call);
    const answered = call.answer();
    await flush();
    const { SipError } = await import('./fakes.js');
    h.ms.creates[0]!.result.reject(new SipError(488, 'Not Acceptable Here'));
    await answered;
    expect(res.statuses).toEqual([488]);
    expect(hangups).toEqual([{ by: 'local', cause: 'no-common-codec' }]);
  });

  it('an INVITE with a body that is not SDP gets 415', async () => {
    h = await startHarness();
    const raw = fixture('sip-invite.txt').replace('Content-Type: application/sdp', 'Content-Type: text/plain');
    const { res } = h.invite(raw);
    expect(res.sent).toEqual([{ status: 415, headers: { Accept: 'application/sdp' } }]);
    expect(h.calls).toHaveLength(0);
  });
});

describe('inbound call: media', () => {
  it('plays one file with playback, several as one file_string; "done" on completion', async () => {
    h = await startHarness();
    h.invite();
    const { call, ep } = await h.answerLast();
    const one = call.play(['/prompts/zh/welcome.wav']);
    await flush();
    expect(ep.executes.map((e) => [e.app, e.arg])).toEqual([['playback', '/prompts/zh/welcome.wav']]);
    ep.complete('FILE PLAYED');
    expect(await one).toBe('done');
    const two = call.play(['/p/a.wav', '/p/b.wav']);
    await flush();
    expect(ep.executes[1]).toMatchObject({ app: 'playback', arg: 'file_string:///p/a.wav!/p/b.wav' });
    ep.complete();
    expect(await two).toBe('done');
  });

  it('a prompt FreeSWITCH cannot read is an error the app sees', async () => {
    h = await startHarness();
    h.invite();
    const { call, ep } = await h.answerLast();
    const p = call.play(['/nowhere.wav']);
    await flush();
    ep.complete('FILE NOT FOUND');
    await expect(p).rejects.toMatchObject({ code: 'HOTLINE_E_DFS_PROMPT_NOT_FOUND' });
  });

  it('barge-in: an RFC 4733 digit breaks the prompt (uuid_break) and is delivered', async () => {
    h = await startHarness();
    h.invite();
    const { call, ep } = await h.answerLast();
    const { digits } = events(call);
    const p = call.play(['/p/menu.wav'], { bargeIn: true });
    await flush();
    ep.emit('dtmf', { dtmf: '1', duration: '1600', source: 'RTP' });
    await flush();
    expect(h.ms.apis).toContain(`uuid_break ${ep.uuid} all`);
    ep.complete('FILE PLAYED'); // what FreeSWITCH reports for a broken playback
    expect(await p).toBe('interrupted');
    expect(digits).toEqual([{ digit: '1', source: 'rfc4733' }]);
  });

  it('without barge-in a digit is delivered and the prompt goes on', async () => {
    h = await startHarness();
    h.invite();
    const { call, ep } = await h.answerLast();
    const { digits } = events(call);
    const p = call.play(['/p/info.wav']);
    await flush();
    ep.emit('dtmf', { dtmf: '#', source: 'RTP' });
    await flush();
    expect(h.ms.apis.filter((c) => c.startsWith('uuid_break'))).toEqual([]);
    ep.complete();
    expect(await p).toBe('done');
    expect(digits).toEqual([{ digit: '#', source: 'rfc4733' }]);
  });

  it('SIP INFO DTMF in the dialog: 200, delivered as sip-info, and it barges in too; other INFOs', async () => {
    h = await startHarness();
    h.invite();
    const { call, ep, dialog } = await h.answerLast();
    const { digits } = events(call);
    const p = call.play(['/p/menu.wav'], { bargeIn: true });
    await flush();
    const info = FakeRequest.fromRaw(fixture('sip-info-dtmf.txt'));
    const { FakeResponse } = await import('./fakes.js');
    const res = new FakeResponse();
    dialog.emit('info', info.asSrf(), res.asSrf());
    await flush();
    expect(res.statuses).toEqual([200]);
    expect(digits).toEqual([{ digit: '5', source: 'sip-info' }]);
    expect(h.ms.apis).toContain(`uuid_break ${ep.uuid} all`);
    ep.complete();
    expect(await p).toBe('interrupted');
    // An INFO that is not DTMF: 415 with what we accept; an empty one (keep-alive): 200.
    const other = new FakeResponse();
    dialog.emit('info', FakeRequest.fromRaw(fixture('sip-info-dtmf.txt').replace('application/dtmf-relay', 'application/json')).asSrf(), other.asSrf());
    expect(other.sent[0]).toMatchObject({ status: 415, headers: { Accept: 'application/dtmf-relay, application/dtmf' } });
    const empty = new FakeResponse();
    dialog.emit('info', new FakeRequest('INFO', 'sip:x', {}, '', '').asSrf(), empty.asSrf());
    expect(empty.statuses).toEqual([200]);
  });

  it('music on hold loops a file (playback, executed again after each round) until stopMedia; a new play replaces it', async () => {
    h = await startHarness();
    h.invite();
    const { call, ep } = await h.answerLast();
    call.startMusicOnHold('/p/moh/default.wav');
    await flush();
    // Not endless_playback: FreeSWITCH's endless_playback ignores uuid_break.
    const round = `file_string://${Array(20).fill('/p/moh/default.wav').join('!')}`;
    expect(ep.executes[0]).toMatchObject({ app: 'playback', arg: round });
    ep.complete();
    await flush();
    expect(ep.executes[1]).toMatchObject({ app: 'playback', arg: round });
    const p = call.play(['/p/position.wav']);
    await flush();
    // The new play waited for the music to stop (uuid_break) before starting.
    expect(h.ms.apis.filter((c) => c.startsWith('uuid_break'))).toHaveLength(1);
    expect(ep.executes).toHaveLength(2);
    ep.executes[1]!.result.resolve((await import('./fakes.js')).eslEvent({ 'Application-Response': 'FILE PLAYED' }));
    await flush();
    expect(ep.executes[2]).toMatchObject({ app: 'playback', arg: '/p/position.wav' });
    expect(ep.executes).toHaveLength(3); // the music did not start another round
    call.stopMedia();
    await flush();
    ep.complete();
    expect(await p).toBe('stopped');
  });

  it('a stop whose execute FreeSWITCH flushed (uuid_break all before it started) does not hang the play', async () => {
    h = await startHarness();
    h.invite();
    const { call, ep } = await h.answerLast();
    const p = call.play(['/p/long.wav']);
    await flush();
    call.stopMedia();
    // No CHANNEL_EXECUTE_COMPLETE ever comes for the flushed execute.
    expect(await p).toBe('stopped');
    expect(ep.executes).toHaveLength(1);
  });

  it("records what the caller says: read stream only, 8 kHz, then stops", async () => {
    h = await startHarness();
    h.invite();
    const { call, ep } = await h.answerLast();
    call.startRecording('/var/rec/c1.wav');
    await flush();
    await call.stopRecording();
    expect(h.ms.apis.filter((c) => c.startsWith('uuid_'))).toEqual([
      `uuid_setvar_multi ${ep.uuid} RECORD_READ_ONLY=true;record_sample_rate=8000;RECORD_STEREO=false`,
      `uuid_record ${ep.uuid} start /var/rec/c1.wav`,
      `uuid_record ${ep.uuid} stop /var/rec/c1.wav`,
    ]);
  });
});

describe('inbound call: endings', () => {
  it('caller BYE: the app hears "remote bye", the channel is hung up', async () => {
    h = await startHarness();
    h.invite();
    const { call, ep, dialog } = await h.answerLast();
    const { hangups } = events(call);
    const p = call.play(['/p/long.wav']);
    await flush();
    dialog.remoteBye();
    await flush();
    expect(hangups).toEqual([{ by: 'remote', cause: 'bye' }]);
    expect(call.ended).toBe(true);
    expect(ep.destroyed).toBe(1);
    expect(await p).toBe('hangup');
    expect(dialog.destroyed).toBe(0); // no BYE back
  });

  it('our hang-up: BYE to the caller and the channel hung up; idempotent', async () => {
    h = await startHarness();
    h.invite();
    const { call, ep, dialog } = await h.answerLast();
    const { hangups } = events(call);
    await call.hangup('flow-done');
    await call.hangup('again');
    await flush();
    expect(hangups).toEqual([{ by: 'local', cause: 'flow-done' }]);
    expect(dialog.destroyed).toBe(1);
    expect(ep.destroyed).toBe(1);
  });

  it('a channel FreeSWITCH does not confirm hanging up is killed (uuid_kill)', async () => {
    h = await startHarness();
    h.invite();
    const { call, ep } = await h.answerLast();
    ep.holdDestroy = true;
    await call.hangup();
    await flush();
    expect(h.ms.apis).not.toContain(`uuid_kill ${ep.uuid}`);
    h.clock.advance(3000);
    await flush();
    expect(h.ms.apis).toContain(`uuid_kill ${ep.uuid}`);
  });

  it('CANCEL before the answer: "remote cancel", no channel', async () => {
    h = await startHarness();
    const { req } = h.invite();
    const { hangups } = events(h.calls[0]!);
    req.emit('cancel');
    expect(hangups).toEqual([{ by: 'remote', cause: 'cancel' }]);
    expect(h.ms.creates).toHaveLength(0);
  });

  it('CANCEL while FreeSWITCH sets the channel up: the channel is released when it arrives', async () => {
    h = await startHarness();
    h.ms.autoCreate = undefined;
    const { req } = h.invite();
    const call = h.calls[0]!;
    const { hangups } = events(call);
    const answered = call.answer();
    await flush();
    req.emit('cancel');
    await answered;
    const { FakeEndpoint } = await import('./fakes.js');
    const ep = new FakeEndpoint(FS_ANSWER_SDP);
    h.ms.creates[0]!.result.resolve(ep.asEp());
    await flush();
    expect(hangups).toEqual([{ by: 'remote', cause: 'cancel' }]);
    expect(ep.destroyed).toBe(1);
    expect(h.srf.uas).toHaveLength(0);
  });

  it('reject(486) answers 486; an unanswered call times out with 480', async () => {
    h = await startHarness();
    const a = h.invite();
    await h.calls[0]!.reject(486);
    expect(a.res.statuses).toEqual([486]);
    const b = h.invite();
    const { hangups } = events(h.calls[1]!);
    h.clock.advance(60_000);
    expect(b.res.statuses).toEqual([480]);
    expect(hangups).toEqual([{ by: 'local', cause: 'answer-timeout' }]);
  });

  it('FreeSWITCH ends the channel (safety net, media timeout): BYE to the caller, the app is told why', async () => {
    h = await startHarness();
    h.invite();
    const { call, ep, dialog } = await h.answerLast();
    const { hangups } = events(call);
    ep.hangupByServer('ALLOTTED_TIMEOUT');
    await flush();
    expect(hangups).toEqual([{ by: 'local', cause: 'media-server-allotted-timeout' }]);
    expect(dialog.destroyed).toBe(1);
  });

  it('a re-INVITE goes to FreeSWITCH and its answer back to the phone', async () => {
    h = await startHarness();
    h.invite();
    const { ep, dialog } = await h.answerLast();
    const { FakeResponse } = await import('./fakes.js');
    const res = new FakeResponse();
    dialog.emit('modify', new FakeRequest('INVITE', 'sip:x', {}, 'v=0\r\nnew-offer\r\n', '').asSrf(), res.asSrf());
    await flush();
    expect(ep.dialog.modifies).toEqual(['v=0\r\nnew-offer\r\n']);
    ep.dialog.modifyResult!.resolve('v=0\r\nfs-answer\r\n');
    await flush();
    expect(res.sent).toEqual([{ status: 200, headers: { 'Content-Type': 'application/sdp' }, body: 'v=0\r\nfs-answer\r\n' }]);
  });
});

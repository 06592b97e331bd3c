import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RemoteMedia } from '../../../src/adapters/telephony/builtin/media/media-engine.js';
import { MediaError } from '../../../src/adapters/telephony/builtin/media/media-errors.js';
import { decodeWavPrompt } from '../../../src/adapters/telephony/builtin/media/wav.js';
import { WorkerMediaEngine, type MediaLogger } from '../../../src/adapters/telephony/builtin/media/worker-media-engine.js';
import { estimateHz, expectContinuous, FarEnd, randomPortRange, soxTone, waitFor } from './far-end.js';

let dir: string;
let tone440: string;
let tone440Long: string;
let tone660: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hotline-media-'));
  [tone440, tone440Long, tone660] = await Promise.all([soxTone(dir, 440, 1), soxTone(dir, 440, 30), soxTone(dir, 660, 0.5)]);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function startEngine(logger?: MediaLogger): Promise<{ engine: WorkerMediaEngine; digits: [string, string][] }> {
  const digits: [string, string][] = [];
  const engine = new WorkerMediaEngine({ host: '127.0.0.1', ...randomPortRange(), ...(logger ? { logger } : {}) });
  await engine.start({ onDtmf: (sessionId, digit) => digits.push([sessionId, digit]) });
  cleanups.push(() => engine.close());
  return { engine, digits };
}

async function farEnd(): Promise<FarEnd> {
  const far = await FarEnd.open();
  cleanups.push(() => far.close());
  return far;
}

const remote = (far: FarEnd, codec: 'PCMU' | 'PCMA' = 'PCMU', extra: Partial<RemoteMedia> = {}): RemoteMedia => ({
  address: '127.0.0.1',
  port: far.port,
  codec,
  payloadType: codec === 'PCMU' ? 0 : 8,
  dtmfPayloadType: 101,
  direction: 'sendrecv',
  ...extra,
});

describe('WorkerMediaEngine on 127.0.0.1', () => {
  it('plays a 1 s 440 Hz prompt as 50 continuous PCMU packets that decode to 440 Hz', async () => {
    const { engine } = await startEngine();
    const far = await farEnd();
    const local = await engine.createSession('call-1');
    expect(local.address).toBe('127.0.0.1');
    expect(local.port % 2).toBe(0);
    engine.setRemote('call-1', remote(far));

    expect(await engine.play('call-1', [tone440], { bargeIn: false, loop: false })).toBe('done');
    await waitFor(() => far.packets.length >= 50, '50 packets');

    expect(far.packets).toHaveLength(50);
    expect(expectContinuous(far.packets)).toBeNull();
    expect(far.packets.map((p) => p.marker)).toEqual([true, ...Array(49).fill(false)]);
    expect(far.packets.every((p) => p.payloadType === 0 && p.payload.length === 160)).toBe(true);
    expect(estimateHz(far.decoded('PCMU'))).toBeGreaterThan(430);
    expect(estimateHz(far.decoded('PCMU'))).toBeLessThan(450);

    const stats = await engine.statsNow();
    expect(stats).toMatchObject({ sessions: 1, packetsSent: 50 });
    expect(stats.sendJitterP99Ms).toBeGreaterThanOrEqual(stats.sendJitterP50Ms);
    expect(engine.stats().sessions).toBe(1);
  });

  it('keeps one stream across prompts and plays, with a marker at each talkspurt', async () => {
    const { engine } = await startEngine();
    const far = await farEnd();
    await engine.createSession('s');
    engine.setRemote('s', remote(far, 'PCMA'));
    expect(await engine.play('s', [tone660, tone440], { bargeIn: false, loop: false })).toBe('done'); // 25 + 50
    expect(await engine.play('s', [tone660], { bargeIn: false, loop: false })).toBe('done'); // 25
    await waitFor(() => far.packets.length >= 100, '100 packets');

    const first = far.packets.slice(0, 75);
    const second = far.packets.slice(75);
    expect(expectContinuous(first)).toBeNull();
    expect(expectContinuous(second)).toBeNull();
    expect(first.filter((p) => p.marker)).toHaveLength(1);
    expect(second[0]!.marker).toBe(true);
    expect(second[0]!.ssrc).toBe(first[0]!.ssrc);
    expect(second[0]!.sequenceNumber).toBe((first.at(-1)!.sequenceNumber + 1) & 0xffff);
    expect(((second[0]!.timestamp - first.at(-1)!.timestamp) | 0) >= 160).toBe(true);
    const samples = far.decoded('PCMA');
    expect(estimateHz(samples.subarray(0, 4000))).toBeGreaterThan(640); // the 660 Hz prompt…
    expect(estimateHz(samples.subarray(4000, 12000))).toBeLessThan(450); // …then 440 Hz, no gap
  });

  it('reports an RFC 4733 digit once and interrupts a barge-in prompt', async () => {
    const { engine, digits } = await startEngine();
    const far = await farEnd();
    const local = await engine.createSession('ivr');
    engine.setRemote('ivr', remote(far));
    const played = engine.play('ivr', [tone440Long], { bargeIn: true, loop: true });
    await waitFor(() => far.packets.length >= 5, 'playback to start');
    await far.sendTone(local.port, 'PCMU', 300, 5); // the caller's audio flows (and latches) before the key press

    far.sendDigit(local.port, 5);
    expect(await played).toBe('interrupted');
    far.sendDigit(local.port, 11);
    await waitFor(() => digits.length >= 2, 'two digits');
    expect(digits).toEqual([
      ['ivr', '5'],
      ['ivr', '#'],
    ]);
  });

  it('reports digits without interrupting when barge-in is off; stop() ends the play', async () => {
    const { engine, digits } = await startEngine();
    const far = await farEnd();
    const local = await engine.createSession('x');
    engine.setRemote('x', remote(far));
    let outcome: string | null = null;
    const played = engine.play('x', [tone440Long], { bargeIn: false, loop: false }).then((o) => (outcome = o));
    await waitFor(() => far.packets.length >= 3, 'playback to start');
    far.sendDigit(local.port, 1);
    await waitFor(() => digits.length === 1, 'a digit');
    expect(outcome).toBeNull();
    engine.stop('x');
    await played;
    expect(outcome).toBe('stopped');
  });

  it('bridges a PCMU leg and a PCMA leg: audio is transcoded both ways and DTMF is forwarded', async () => {
    const { engine, digits } = await startEngine();
    const farA = await farEnd();
    const farB = await farEnd();
    const a = await engine.createSession('caller');
    const b = await engine.createSession('agent');
    engine.setRemote('caller', remote(farA, 'PCMU'));
    engine.setRemote('agent', remote(farB, 'PCMA', { dtmfPayloadType: 96 }));
    engine.bridge('caller', 'agent');

    await farA.sendTone(a.port, 'PCMU', 440, 50);
    await farB.sendTone(b.port, 'PCMA', 1000, 50);
    await waitFor(() => farB.audio(8).length >= 50 && farA.audio(0).length >= 50, 'bridged audio');

    expect(farB.audio(0)).toHaveLength(0);
    expect(expectContinuous(farB.audio(8))).toBeNull();
    expect(farB.audio(8)[0]!.marker).toBe(true);
    expect(farB.audio(8)[0]!.ssrc).not.toBe(farA.ssrc);
    expect(estimateHz(farB.decoded('PCMA'))).toBeGreaterThan(430);
    expect(estimateHz(farB.decoded('PCMA'))).toBeLessThan(450);
    expect(expectContinuous(farA.audio(0))).toBeNull();
    expect(estimateHz(farA.decoded('PCMU'))).toBeGreaterThan(980);
    expect(estimateHz(farA.decoded('PCMU'))).toBeLessThan(1020);

    farA.sendDigit(a.port, 3);
    await waitFor(() => farB.audio(96).length >= 6, 'forwarded telephone-event');
    expect(digits).toEqual([['caller', '3']]);
    const events = farB.audio(96);
    expect(new Set(events.map((p) => p.timestamp)).size).toBe(1);
    expect(events[0]!.payload[0]).toBe(3);
    expect(events[0]!.sequenceNumber).toBe((farB.audio(8).at(-1)!.sequenceNumber + 1) & 0xffff);

    // After unbridge nothing more is forwarded.
    engine.unbridge('caller');
    const before = farB.packets.length;
    const received = (await engine.statsNow()).packetsReceived;
    await farA.sendTone(a.port, 'PCMU', 440, 5);
    await waitFor(async () => (await engine.statsNow()).packetsReceived >= received + 5, 'receipt');
    expect(farB.packets.length).toBe(before);
  });

  it('records what the session receives to a WAV file', async () => {
    const { engine } = await startEngine();
    const far = await farEnd();
    const local = await engine.createSession('rec');
    engine.setRemote('rec', remote(far, 'PCMA'));
    const file = join(dir, 'recording.wav');
    engine.startRecording('rec', file);
    await far.sendTone(local.port, 'PCMA', 440, 50);
    await waitFor(async () => (await engine.statsNow()).packetsReceived >= 50, 'all packets received');
    await engine.stopRecording('rec');

    const samples = decodeWavPrompt(await readFile(file), file);
    expect(samples.length).toBe(8000);
    expect(estimateHz(samples)).toBeGreaterThan(430);
    expect(estimateHz(samples)).toBeLessThan(450);
  });

  it('finalizes a recording when the session is destroyed', async () => {
    const { engine } = await startEngine();
    const far = await farEnd();
    const local = await engine.createSession('rec2');
    engine.setRemote('rec2', remote(far));
    const file = join(dir, 'recording2.wav');
    engine.startRecording('rec2', file);
    await far.sendTone(local.port, 'PCMU', 440, 10);
    await waitFor(async () => (await engine.statsNow()).packetsReceived >= 10, 'all packets received');
    engine.destroySession('rec2');
    await engine.stopRecording('rec2'); // waits for the destroy-time finalization
    expect(decodeWavPrompt(await readFile(file), file).length).toBe(1600);
  });

  it('latches onto the observed RTP source (symmetric RTP) and logs it', async () => {
    const logs: { level: string; msg: string }[] = [];
    const capture = (level: string) => (_obj: object, msg: string) => logs.push({ level, msg });
    const { engine } = await startEngine({ debug: capture('debug'), info: capture('info'), warn: capture('warn'), error: capture('error') });
    const decoy = await farEnd(); // what the SDP said
    const far = await farEnd(); // where the packets really come from
    const local = await engine.createSession('nat');
    engine.setRemote('nat', remote(decoy));
    await far.sendTone(local.port, 'PCMU', 440, 1);
    await waitFor(async () => (await engine.statsNow()).packetsReceived >= 1, 'the first packet');
    expect(await engine.play('nat', [tone660], { bargeIn: false, loop: false })).toBe('done');
    await waitFor(() => far.packets.length >= 25, 'playback at the observed source');
    expect(decoy.packets).toHaveLength(0);
    expect(logs).toContainEqual({ level: 'info', msg: expect.stringContaining('symmetric RTP') });
  });

  it('accepts a pino logger, validates its port range, and cancels a session destroyed while being created', async () => {
    const logger: MediaLogger = pino({ enabled: false });
    expect(() => new WorkerMediaEngine({ portMin: 30001, portMax: 30001, logger })).toThrow(/holds no even port/);
    const { engine } = await startEngine(logger);
    const creating = engine.createSession('early-hangup');
    engine.destroySession('early-hangup');
    await expect(creating).rejects.toMatchObject({ code: 'HOTLINE_E_MEDIA_UNKNOWN_SESSION' });
    expect((await engine.statsNow()).sessions).toBe(0);
  });

  it('sends nothing to a peer that only sends (a=sendonly), but the prompt still runs', async () => {
    const { engine } = await startEngine();
    const far = await farEnd();
    await engine.createSession('hold');
    engine.setRemote('hold', remote(far, 'PCMU', { direction: 'sendonly' }));
    expect(await engine.play('hold', [tone660], { bargeIn: false, loop: false })).toBe('done');
    expect((await engine.statsNow()).packetsSent).toBe(0);
  });

  it('drops malformed datagrams and keeps working', async () => {
    const { engine } = await startEngine();
    const far = await farEnd();
    const local = await engine.createSession('m');
    engine.setRemote('m', remote(far));
    far.sendRaw(local.port, Uint8Array.of(1, 2, 3));
    far.sendRaw(local.port, Uint8Array.of(0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    await waitFor(async () => (await engine.statsNow()).packetsMalformed >= 2, 'malformed packets counted');
    expect(await engine.play('m', [tone660], { bargeIn: false, loop: false })).toBe('done');
  });

  it('reports errors with codes: unknown session, bad file, duplicate session', async () => {
    const { engine } = await startEngine();
    await expect(engine.play('nope', [tone440], { bargeIn: false, loop: false })).rejects.toMatchObject({
      code: 'HOTLINE_E_MEDIA_UNKNOWN_SESSION',
    });
    await engine.createSession('dup');
    await expect(engine.createSession('dup')).rejects.toBeInstanceOf(MediaError);
    await expect(engine.play('dup', [join(dir, 'missing.wav')], { bargeIn: false, loop: false })).rejects.toMatchObject({
      code: 'HOTLINE_E_MEDIA_WAV_READ',
      message: expect.stringContaining('missing.wav'),
    });
  });

  it('ends pending plays as stopped on destroySession and close, and leaves no handle', async () => {
    // The worker shows on the main thread as a MessagePort handle; its sockets live and die with it.
    const workerHandles = (): number => process.getActiveResourcesInfo().filter((r) => r === 'MessagePort').length;
    const before = workerHandles();
    const engine = new WorkerMediaEngine({ ...randomPortRange(20) });
    await engine.start({ onDtmf: () => undefined });
    const far = await FarEnd.open();
    await engine.createSession('a');
    await engine.createSession('b');
    engine.setRemote('a', remote(far));
    engine.setRemote('b', remote(far));
    const playA = engine.play('a', [tone440Long], { bargeIn: false, loop: true });
    const playB = engine.play('b', [tone440Long], { bargeIn: false, loop: true });
    await waitFor(() => far.packets.length >= 10, 'playback');
    expect(workerHandles()).toBe(before + 1);
    engine.destroySession('a');
    expect(await playA).toBe('stopped');
    expect(engine.stats().sessions).toBe(1);
    await engine.close();
    expect(await playB).toBe('stopped');
    await expect(engine.createSession('c')).rejects.toMatchObject({ code: 'HOTLINE_E_MEDIA_ENGINE_STATE' });
    await far.close();
    expect(workerHandles()).toBe(before);
  });
});

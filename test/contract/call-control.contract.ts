/**
 * The telephony contract: what every CallControl adapter does, checked through real SIP peers on 127.0.0.1
 * (SIPp callers and agent phones, baresip softphones that send tones and record what they hear, sox to
 * measure the recordings). The built-in engine runs it in every `npm test`; drachtio + FreeSWITCH run it when
 * their servers are configured (drachtio-freeswitch.contract.test.ts).
 *
 * Covered: answer, play (the far end hears it), DTMF both ways (RFC 4733 from SIPp's pcap, SIP INFO) with
 * barge-in, refusing a call, CANCEL from the caller, BYE from the caller and from us, recording what the
 * caller says, music on hold (a looping file), ringing an agent registered with digest auth, bridging with
 * audio both ways, a busy agent, RONA (cancel after no answer), BYE from the agent, a blind transfer (REFER)
 * from the agent's phone, dialling out through a trunk (callbacks), the caller staying on after the agent
 * hangs up (the post-call survey).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SystemClock } from '../../src/adapters/clock/system-clock.js';
import { SipRegistrar } from '../../src/app/registrar/sip-registrar.js';
import type { AgentContact, CallControl, DtmfEvent, RingOutcome, TransferRequest } from '../../src/ports/call-control.js';
import { startBaresip, type Baresip } from '../support/baresip.js';
import { freePort, waitForTcpListen, runSipp, type SippResult } from '../integration/sip/harness.js';
import { CallQueue, hangupOf, sleep, startBaresipCaller, type BaresipCaller } from './peers.js';
import { audioStats, makeTone } from '../support/audio.js';

export interface ContractSubject {
  callControl: CallControl;
  /** Where SIP peers send their requests (known after start() for adapters that bind port 0). */
  sipAddress(): { host: string; port: number };
  /** Extra teardown after callControl.close() (media engines, temp dirs ...). */
  close?(): Promise<void>;
}

export interface ContractOptions {
  /** A directory the adapter's media server reads prompts from and writes recordings to (same path). */
  mediaDir?: string;
}

export type MakeAdapter = () => Promise<ContractSubject>;

const SCENARIOS = path.join(import.meta.dirname, 'scenarios');
const PASSWORDS: Record<string, string> = { '1001': 'pw-1001-contract', '1002': 'pw-1002-contract' };
const near = (hz: number, target: number): boolean => Math.abs(hz - target) < 60;

function expectSippOk(r: SippResult): void {
  expect(r.code, `SIPp failed:\n${r.errors}\n${r.stderr}\n${r.stdout}`).toBe(0);
}

export function describeCallControlContract(name: string, makeAdapter: MakeAdapter, opts: ContractOptions = {}): void {
  describe(`CallControl contract: ${name}`, () => {
    let subject: ContractSubject;
    let cc: CallControl;
    let registrar: SipRegistrar;
    let clock: SystemClock;
    let work: string;
    const calls = new CallQueue();
    const files = { prompt440: '', longPrompt: '', moh600: '', voice1000: '', voice700: '' };
    let cleanups: Array<() => Promise<void>> = [];
    const target = (): string => {
      const a = subject.sipAddress();
      return `${a.host}:${a.port}`;
    };

    beforeAll(async () => {
      work = await mkdtemp(path.join(opts.mediaDir ?? tmpdir(), 'hotline-contract-'));
      files.prompt440 = await makeTone(path.join(work, 'prompt-440.wav'), 440, 1.5);
      files.longPrompt = await makeTone(path.join(work, 'menu-440-long.wav'), 440, 8);
      files.moh600 = await makeTone(path.join(work, 'moh-600.wav'), 600, 0.6);
      files.voice1000 = await makeTone(path.join(work, 'voice-1000.wav'), 1000, 30);
      files.voice700 = await makeTone(path.join(work, 'voice-700.wav'), 700, 30);
      clock = new SystemClock();
      registrar = new SipRegistrar({ realm: 'hotline.contract', clock, credentials: (id) => PASSWORDS[id] });
      subject = await makeAdapter();
      cc = subject.callControl;
      await cc.start({ onInboundCall: (call) => calls.push(call), registrar });
    }, 60_000);

    afterEach(async () => {
      for (const fn of cleanups.reverse()) await fn().catch(() => undefined);
      cleanups = [];
      await calls.drain();
    });

    afterAll(async () => {
      await cc?.close();
      registrar?.close();
      clock?.close();
      await subject?.close?.();
      if (work) await rm(work, { recursive: true, force: true });
    }, 30_000);

    async function caller(voiceFile: string, number = '4001'): Promise<BaresipCaller> {
      const b = await startBaresipCaller({ workDir: work, target: subject.sipAddress(), number, voiceFile });
      cleanups.push(() => b.stop());
      return b;
    }

    async function agent(agentId: string, autoAnswer: boolean, voiceFile: string): Promise<Baresip> {
      const a = subject.sipAddress();
      if (a.host !== '127.0.0.1') throw new Error('the contract runs on 127.0.0.1 only');
      const b = await startBaresip({ agentId, password: PASSWORDS[agentId]!, engineSipPort: a.port, autoAnswer, voiceFile });
      cleanups.push(() => b.stop());
      const until = Date.now() + 10_000;
      while (registrar.contactOf(agentId) === undefined) {
        if (Date.now() > until) throw new Error(`agent ${agentId} did not register (digest) within 10 s; see ${b.dir}`);
        await sleep(50);
      }
      return b;
    }

    /** A SIPp agent phone on a free port, and the contact the app would have learnt from its REGISTER. */
    async function sippAgent(scenario: string): Promise<{ contact: AgentContact; done: Promise<SippResult> }> {
      const port = await freePort();
      const done = runSipp(['-sf', path.join(SCENARIOS, scenario), '-p', String(port), '-m', '1'], { timeoutSec: 20 });
      await sleep(200); // SIPp binds its UDP port
      const contact: AgentContact = {
        aor: 'sip:1002@hotline.contract',
        contactUri: `sip:1002@127.0.0.1:${port};transport=udp`,
        transport: 'udp',
        sourceHost: '127.0.0.1',
        sourcePort: port,
        expiresAtMs: Date.now() + 60_000,
      };
      return { contact, done };
    }

    const sippCaller = (scenario: string, service = '4001'): Promise<SippResult> =>
      runSipp(['-sf', path.join(SCENARIOS, scenario), '-s', service, '-m', '1', target()], { timeoutSec: 20 });

    it('answers and plays a prompt: the caller hears it; our BYE ends the call', async () => {
      const b = await caller(files.voice1000);
      const call = await calls.next();
      expect(call.from).toBe('13800138000');
      expect(call.to).toBe('4001');
      expect(call.callId.length).toBeGreaterThan(4);
      await call.answer();
      expect(await call.play([files.prompt440])).toBe('done');
      const ended = hangupOf(call);
      await call.hangup('contract-done');
      expect(await ended).toEqual({ by: 'local', cause: 'contract-done' });
      const heard = await audioStats(await b.heard());
      expect(heard.rmsAmplitude, JSON.stringify(heard)).toBeGreaterThan(0.05);
      expect(near(heard.roughFrequencyHz, 440), JSON.stringify(heard)).toBe(true);
    });

    it('refuses a call with a final status (404)', async () => {
      const sipp = sippCaller('caller-refused.xml', '4999');
      const call = await calls.next();
      const ended = hangupOf(call);
      await call.reject(404);
      expect(await ended).toEqual({ by: 'local', cause: 'rejected-404' });
      expectSippOk(await sipp);
    });

    it('collects DTMF both ways: RFC 4733 (barge-in on the prompt), then SIP INFO; our BYE', async () => {
      const sipp = sippCaller('caller-dtmf.xml');
      const call = await calls.next();
      const digits: DtmfEvent[] = [];
      let gotHash!: () => void;
      const hash = new Promise<void>((r) => (gotHash = r));
      call.onDtmf((d) => {
        digits.push(d);
        if (d.digit === '#') gotHash();
      });
      await call.answer();
      expect(await call.play([files.longPrompt], { bargeIn: true })).toBe('interrupted');
      await hash;
      await call.hangup('collected');
      expectSippOk(await sipp);
      expect(digits).toEqual([
        { digit: '1', source: 'rfc4733' },
        { digit: '5', source: 'sip-info' },
        { digit: '#', source: 'sip-info' },
      ]);
    });

    it('the caller cancels before the answer: a remote "cancel" hang-up', async () => {
      const sipp = sippCaller('caller-cancel.xml');
      const call = await calls.next();
      expect(await hangupOf(call)).toEqual({ by: 'remote', cause: 'cancel' });
      expect(call.ended).toBe(true);
      expectSippOk(await sipp);
    });

    it('the caller hangs up: a remote "bye" hang-up; play then says "hangup"', async () => {
      const sipp = sippCaller('caller-bye.xml');
      const call = await calls.next();
      const ended = hangupOf(call);
      await call.answer();
      expect(await call.play([files.longPrompt])).toBe('hangup');
      expect(await ended).toEqual({ by: 'remote', cause: 'bye' });
      expectSippOk(await sipp);
    });

    it('records what the caller says (8 kHz WAV, checked with sox)', async () => {
      await caller(files.voice1000);
      const call = await calls.next();
      await call.answer();
      const file = path.join(work, 'recording-caller.wav');
      call.startRecording(file);
      await sleep(2500);
      await call.stopRecording();
      await call.hangup();
      const rec = await audioStats(file);
      expect(rec.lengthSec, JSON.stringify(rec)).toBeGreaterThan(1.5);
      expect(rec.rmsAmplitude, JSON.stringify(rec)).toBeGreaterThan(0.05);
      expect(near(rec.roughFrequencyHz, 1000), JSON.stringify(rec)).toBe(true);
    });

    it('music on hold loops a file until stopped', async () => {
      const b = await caller(files.voice1000);
      const call = await calls.next();
      await call.answer();
      call.startMusicOnHold(files.moh600); // 0.6 s of 600 Hz, looped
      await sleep(3000);
      call.stopMedia();
      await sleep(1200);
      await call.hangup();
      const file = await b.heard();
      const whole = await audioStats(file);
      // From 0.3 s to 2.7 s: four times the file's length, never silent, so it looped.
      const music = await audioStats(file, { fromSec: 0.3, durationSec: 2.4 });
      const after = await audioStats(file, { lastSec: 0.6 });
      expect(whole.lengthSec, JSON.stringify(whole)).toBeGreaterThan(2.7);
      expect(music.rmsAmplitude, JSON.stringify(music)).toBeGreaterThan(0.25);
      expect(near(music.roughFrequencyHz, 600), JSON.stringify(music)).toBe(true);
      // After stopMedia the far end gets silence (a media server that keeps sending) or nothing at all
      // (baresip then records nothing: the recording is shorter than the 4.2 s call).
      const silent = after.rmsAmplitude < 0.05;
      const noPackets = whole.lengthSec < 3.7;
      expect(silent || noPackets, `still playing after stopMedia: whole ${JSON.stringify(whole)}, last ${JSON.stringify(after)}`).toBe(true);
    });

    it('rings an agent registered with digest auth, bridges, and audio flows both ways', async () => {
      const phone = await agent('1001', true, files.voice700);
      const contact = registrar.contactOf('1001')!;
      const b = await caller(files.voice1000);
      const call = await calls.next();
      await call.answer();
      const attempt = cc.ring({ callId: call.callId, agentId: '1001', contact, callerNumber: call.from, callerName: 'Contract' });
      const outcome = await attempt.outcome;
      expect(outcome.kind).toBe('answered');
      if (outcome.kind !== 'answered') return;
      await cc.bridge(call, outcome.leg);
      await sleep(3000);
      const agentEnded = hangupOf(outcome.leg);
      await outcome.leg.hangup('agent-leg-done');
      await call.hangup('caller-leg-done');
      expect(await agentEnded).toEqual({ by: 'local', cause: 'agent-leg-done' });
      const callerHeard = await audioStats(await b.heard(), { lastSec: 2 });
      await phone.stop();
      const agentHeard = await audioStats((await phone.recordings()).at(-1)!, { lastSec: 2 });
      expect(near(callerHeard.roughFrequencyHz, 700), `caller heard ${JSON.stringify(callerHeard)}`).toBe(true);
      expect(near(agentHeard.roughFrequencyHz, 1000), `agent heard ${JSON.stringify(agentHeard)}`).toBe(true);
      expect(callerHeard.rmsAmplitude).toBeGreaterThan(0.05);
      expect(agentHeard.rmsAmplitude).toBeGreaterThan(0.05);
    });

    it('after the bridged agent hangs up, the caller stays and still hears prompts (the post-call survey)', async () => {
      const b = await caller(files.voice1000);
      const call = await calls.next();
      await call.answer();
      const { contact, done } = await sippAgent('agent-answers-then-bye.xml');
      const attempt = cc.ring({ callId: call.callId, agentId: '1002', contact, callerNumber: call.from });
      const outcome = await attempt.outcome;
      expect(outcome.kind).toBe('answered');
      if (outcome.kind !== 'answered') return;
      await cc.bridge(call, outcome.leg);
      expect(await hangupOf(outcome.leg)).toEqual({ by: 'remote', cause: 'bye' });
      expectSippOk(await done);
      expect(call.ended).toBe(false);
      expect(await call.play([files.prompt440])).toBe('done');
      await call.hangup('survey-done');
      const heard = await audioStats(await b.heard(), { lastSec: 1 });
      expect(near(heard.roughFrequencyHz, 440), `caller heard ${JSON.stringify(heard)}`).toBe(true);
      expect(heard.rmsAmplitude).toBeGreaterThan(0.05);
    });

    it('a busy agent (486) declines the ring', async () => {
      const { contact, done } = await sippAgent('agent-busy.xml');
      const attempt = cc.ring({ callId: 'contract-busy', agentId: '1002', contact, callerNumber: '13800138000' });
      expect(await attempt.outcome).toEqual({ kind: 'declined', sipStatus: 486 });
      expectSippOk(await done);
    });

    it('RONA: a ring nobody answers is cancelled (CANCEL, 487)', async () => {
      const { contact, done } = await sippAgent('agent-rings.xml');
      const attempt = cc.ring({ callId: 'contract-rona', agentId: '1002', contact, callerNumber: '13800138000' });
      let ringing = 0;
      attempt.onRinging(() => (ringing += 1));
      const until = Date.now() + 5000;
      while (ringing === 0 && Date.now() < until) await sleep(20);
      expect(ringing).toBeGreaterThan(0);
      await sleep(1000); // the application's no-answer timer
      attempt.cancel();
      expect(await attempt.outcome).toEqual({ kind: 'cancelled' });
      expectSippOk(await done);
    });

    it("the agent hangs up: a remote 'bye' on the agent's leg", async () => {
      const { contact, done } = await sippAgent('agent-answers-then-bye.xml');
      const attempt = cc.ring({ callId: 'contract-agent-bye', agentId: '1002', contact, callerNumber: '13800138000' });
      const outcome = await attempt.outcome;
      expect(outcome.kind).toBe('answered');
      if (outcome.kind !== 'answered') return;
      expect(await hangupOf(outcome.leg)).toEqual({ by: 'remote', cause: 'bye' });
      expect(outcome.leg.ended).toBe(true);
      expectSippOk(await done);
    });

    it('the agent phone transfers blind (REFER): the target reaches the app; the phone gets 202, NOTIFY 100 then 200', async () => {
      const { contact, done } = await sippAgent('agent-transfers.xml');
      const attempt = cc.ring({ callId: 'contract-agent-refer', agentId: '1002', contact, callerNumber: '13800138000' });
      const outcome = await attempt.outcome;
      expect(outcome.kind).toBe('answered');
      if (outcome.kind !== 'answered') return;
      expect(typeof outcome.leg.onTransferRequest).toBe('function');
      const req = await Promise.race([
        new Promise<TransferRequest>((resolve) => outcome.leg.onTransferRequest?.(resolve)),
        done.then((r): never => {
          throw new Error(`the phone's scenario ended before its REFER reached the app: ${JSON.stringify(r).slice(0, 3000)}`);
        }),
      ]);
      expect(req.target).toBe('support');
      expect(req.referTo).toMatch(/^sip:support@/);
      req.done({ ok: true });
      await outcome.leg.hangup('transferred');
      expectSippOk(await done);
    });

    it('dials a number through a trunk (a callback): the callee answers, then hangs up', async () => {
      expect(typeof cc.dial).toBe('function');
      const { contact, done } = await sippAgent('agent-answers-then-bye.xml');
      const port = contact.sourcePort;
      const attempt = cc.dial!({ callId: 'contract-dial', target: { uri: `sip:13800138000@127.0.0.1:${port}`, host: '127.0.0.1', port, transport: 'udp' }, fromNumber: '4008208820' });
      const outcome = await attempt.outcome;
      expect(outcome.kind).toBe('answered');
      if (outcome.kind !== 'answered') return;
      expect(await hangupOf(outcome.leg)).toEqual({ by: 'remote', cause: 'bye' });
      expectSippOk(await done);
    });

    it('reports health while running', () => {
      const h = cc.health();
      expect(h.ok, JSON.stringify(h)).toBe(true);
    });
  });
}

export type { RingOutcome };
export { waitForTcpListen };

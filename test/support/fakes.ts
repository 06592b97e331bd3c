/** Test doubles for our own ports (unit tests only; e2e tests use real peers). */
import { pino } from 'pino';
import type { AgentContact, CallControl, CallLeg, DtmfEvent, HangupEvent, InboundCall, PlayOutcome, RingAttempt, RingOutcome, RingRequest, TransferRequest } from '../../src/ports/call-control.js';
import type { Registrar, RegistrationChange } from '../../src/ports/registrar.js';
import type { EventSink } from '../../src/ports/event-sink.js';
import type { HotlineEvent } from '../../src/domain/metrics/events.js';

export const silentLogger = pino({ level: 'silent' });

export class FakeLeg implements InboundCall {
  ended = false;
  answered = false;
  rejected?: number;
  plays: string[][] = [];
  moh?: string;
  hangupCause?: string;
  private dtmf: Array<(e: DtmfEvent) => void> = [];
  private hangups: Array<(e: HangupEvent) => void> = [];
  private transfers: Array<(r: TransferRequest) => void> = [];
  /** What the app answered to transfer requests (REFER), in order. */
  transferResults: Array<{ target: string; ok: boolean; sipStatus?: number }> = [];
  private pendingPlay?: (o: PlayOutcome) => void;

  readonly callId: string;

  constructor(
    readonly legId: string,
    readonly from = '13800138000',
    readonly to = '4008208820',
    readonly source = '127.0.0.1:5999',
  ) {
    this.callId = `call-${legId}`;
  }

  onDtmf(fn: (e: DtmfEvent) => void): void {
    this.dtmf.push(fn);
  }
  onHangup(fn: (e: HangupEvent) => void): void {
    this.hangups.push(fn);
  }
  onTransferRequest(fn: (r: TransferRequest) => void): void {
    this.transfers.push(fn);
  }
  /** The far end asks for a blind transfer (an agent's phone sends REFER). */
  requestTransfer(target: string): void {
    for (const fn of this.transfers) {
      fn({
        target,
        referTo: `sip:${target}@127.0.0.1`,
        done: (o) => this.transferResults.push({ target, ok: o.ok, ...(o.ok ? {} : { sipStatus: o.sipStatus }) }),
      });
    }
  }
  play(files: readonly string[]): Promise<PlayOutcome> {
    this.plays.push([...files]);
    return new Promise((resolve) => (this.pendingPlay = resolve));
  }
  finishPlay(outcome: PlayOutcome = 'done'): void {
    const p = this.pendingPlay;
    this.pendingPlay = undefined;
    p?.(outcome);
  }
  startMusicOnHold(file: string): void {
    this.moh = file;
  }
  stopMedia(): void {
    this.moh = undefined;
    this.finishPlay('stopped');
  }
  startRecording(): void {}
  async stopRecording(): Promise<void> {}
  async answer(): Promise<void> {
    this.answered = true;
  }
  async reject(status: number): Promise<void> {
    this.rejected = status;
    this.end('local', 'rejected');
  }
  async hangup(cause = 'normal'): Promise<void> {
    this.hangupCause = cause;
    this.end('local', cause);
  }
  /** The far end hangs up. */
  remoteHangup(): void {
    this.end('remote', 'bye');
  }
  press(digit: string): void {
    for (const fn of this.dtmf) fn({ digit, source: 'rfc4733' });
  }
  private end(by: 'remote' | 'local', cause: string): void {
    if (this.ended) return;
    this.ended = true;
    this.finishPlay('hangup');
    for (const fn of this.hangups) fn({ by, cause });
  }
}

export class FakeRing implements RingAttempt {
  readonly outcome: Promise<RingOutcome>;
  settled = false;
  cancelled = false;
  private resolve!: (o: RingOutcome) => void;
  private ringing: Array<() => void> = [];
  constructor(readonly req: RingRequest) {
    this.outcome = new Promise((r) => (this.resolve = r));
  }
  onRinging(fn: () => void): void {
    this.ringing.push(fn);
  }
  ring(): void {
    for (const fn of this.ringing) fn();
  }
  settle(o: RingOutcome): void {
    if (this.settled) return;
    this.settled = true;
    this.resolve(o);
  }
  cancel(): void {
    this.cancelled = true;
    this.settle({ kind: 'cancelled' });
  }
}

export class FakeCallControl implements CallControl {
  readonly name = 'fake';
  rings: FakeRing[] = [];
  bridges: Array<[string, string]> = [];
  async start(): Promise<void> {}
  ring(req: RingRequest): RingAttempt {
    const r = new FakeRing(req);
    this.rings.push(r);
    return r;
  }
  async bridge(a: CallLeg, b: CallLeg): Promise<void> {
    this.bridges.push([a.legId, b.legId]);
  }
  health() {
    return { ok: true, details: {} };
  }
  async close(): Promise<void> {}
  lastRing(): FakeRing {
    const r = this.rings.at(-1);
    if (!r) throw new Error('no ring');
    return r;
  }
}

export class FakeRegistrar implements Registrar {
  private contacts = new Map<string, AgentContact>();
  private listeners: Array<(c: RegistrationChange) => void> = [];
  handleRegister(): never {
    throw new Error('not used');
  }
  contactOf(agentId: string): AgentContact | undefined {
    return this.contacts.get(agentId);
  }
  onChange(fn: (c: RegistrationChange) => void): void {
    this.listeners.push(fn);
  }
  register(agentId: string): void {
    const contact: AgentContact = { aor: `sip:${agentId}@x`, contactUri: `sip:${agentId}@127.0.0.1:5070`, transport: 'udp', sourceHost: '127.0.0.1', sourcePort: 5070, expiresAtMs: Number.MAX_SAFE_INTEGER };
    this.contacts.set(agentId, contact);
    for (const fn of this.listeners) fn({ agentId, contact, reason: 'registered' });
  }
  unregister(agentId: string): void {
    this.contacts.delete(agentId);
    for (const fn of this.listeners) fn({ agentId, contact: null, reason: 'unregistered' });
  }
  close(): void {}
}

export class MemorySink implements EventSink {
  events: HotlineEvent[] = [];
  append(e: HotlineEvent): void {
    this.events.push(e);
  }
  async flush(): Promise<void> {}
  async close(): Promise<void> {}
  types(): string[] {
    return this.events.map((e) => e.type);
  }
  ofType<T extends HotlineEvent['type']>(type: T): Array<Extract<HotlineEvent, { type: T }>> {
    return this.events.filter((e): e is Extract<HotlineEvent, { type: T }> => e.type === type);
  }
}

/** Lets pending promise callbacks run (the app's store calls are async). */
export const settle = async (): Promise<void> => {
  for (let i = 0; i < 20; i += 1) await Promise.resolve();
  await new Promise((r) => setImmediate(r));
};

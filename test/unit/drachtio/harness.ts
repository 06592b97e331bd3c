/** A DrachtioFreeswitchCallControl on fakes and a manual clock, started and connected. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DrachtioFreeswitchCallControl, type DrachtioFreeswitchOptions } from '../../../src/adapters/telephony/drachtio-freeswitch/drachtio-freeswitch-call-control.js';
import { ManualClock } from '../../../src/domain/shared/fake-clock.js';
import type { InboundCall } from '../../../src/ports/call-control.js';
import type { Registrar } from '../../../src/ports/registrar.js';
import { FakeRegistrar } from '../../support/fakes.js';
import {
  FS_ANSWER_SDP,
  FS_OFFER_SDP,
  FakeEndpoint,
  FakeLibraries,
  FakeMediaServer,
  FakeRequest,
  FakeResponse,
  captureLogger,
  flush,
  type FakeSrf,
} from './fakes.js';

export const fixture = (name: string): string => readFileSync(path.join(import.meta.dirname, 'fixtures', name), 'utf8');

export const T0 = 1_795_481_000_000;

export interface Harness {
  cc: DrachtioFreeswitchCallControl;
  libs: FakeLibraries;
  ms: FakeMediaServer;
  srf: FakeSrf;
  clock: ManualClock;
  lines: Array<Record<string, unknown>>;
  calls: InboundCall[];
  eventLoopDelayMs: { value: number | undefined };
  invite(raw?: string): { req: FakeRequest; res: FakeResponse };
  /** Answers the last offered call through FreeSWITCH and drachtio (the fakes' side). */
  answerLast(): Promise<{ call: InboundCall; ep: FakeEndpoint; res: FakeResponse; dialog: import('./fakes.js').FakeDialog }>;
}

export async function startHarness(opts: { onCall?: (c: InboundCall) => void; registrar?: Registrar; patch?: Partial<DrachtioFreeswitchOptions> } = {}): Promise<Harness> {
  const clock = new ManualClock(T0);
  const libs = new FakeLibraries();
  const ms = new FakeMediaServer();
  libs.autoConnect = ms;
  ms.autoCreate = (o) => new FakeEndpoint(o?.remoteSdp !== undefined ? FS_ANSWER_SDP : FS_OFFER_SDP);
  const { logger, lines } = captureLogger();
  const eventLoopDelayMs = { value: 2 as number | undefined };
  const cc = new DrachtioFreeswitchCallControl({
    drachtio: { host: '127.0.0.1', port: 9022, secret: 'test-secret', reconnectMaxDelayMs: 2000 },
    freeswitch: { host: '127.0.0.1', port: 8021, secret: 'fs-secret', listenAddress: '127.0.0.1', profile: 'hotline_mrf', maxChannels: 20, safetyHangupSec: 300, instanceId: 'app-1' },
    admission: { maxCallsInSetup: 3, minIdleCpuPct: 15, sessionsPerSecondShare: 0.8, maxEventLoopDelayMs: 250 },
    logger,
    clock,
    libraries: libs,
    eventLoop: { recentDelayMs: () => eventLoopDelayMs.value, close: () => undefined },
    startWaitSec: 5,
    ...opts.patch,
  });
  const calls: InboundCall[] = [];
  const started = cc.start({
    registrar: opts.registrar ?? new FakeRegistrar(),
    onInboundCall: (c) => {
      calls.push(c);
      opts.onCall?.(c);
    },
  });
  await flush();
  libs.srf.up();
  await flush();
  await started;
  const srf = libs.srf;
  const h: Harness = {
    cc,
    libs,
    ms,
    srf,
    clock,
    lines,
    calls,
    eventLoopDelayMs,
    invite(raw = fixture('sip-invite.txt')) {
      const req = FakeRequest.fromRaw(raw);
      const res = new FakeResponse();
      srf.inviteHandler!(req.asSrf(), res.asSrf());
      return { req, res };
    },
    async answerLast() {
      const call = calls.at(-1)!;
      const answered = call.answer();
      await flush();
      const ep = ms.endpoints.at(-1)!;
      const uas = srf.uas.at(-1)!;
      const { FakeDialog } = await import('./fakes.js');
      const dialog = new FakeDialog({ callId: call.legId, localTag: 'ours', remoteTag: 'theirs' }, uas.opts.localSdp, '');
      uas.result.resolve(dialog.asSrf());
      await answered;
      await flush();
      return { call, ep, res: uas.res as unknown as FakeResponse, dialog };
    },
  };
  return h;
}

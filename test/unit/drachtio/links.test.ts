/**
 * Connections and overload: drachtio's reconnect bound and `error` handling, FreeSWITCH's reconnect with
 * back-off on a manual clock, 503 while FreeSWITCH is away, reconciliation after a reconnect, admission.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DrachtioLink } from '../../../src/adapters/telephony/drachtio-freeswitch/drachtio-link.js';
import { MediaServerLink } from '../../../src/adapters/telephony/drachtio-freeswitch/media-server-link.js';
import { ManualClock } from '../../../src/domain/shared/fake-clock.js';
import { FakeLibraries, FakeMediaServer, captureLogger, flush } from './fakes.js';
import { T0, fixture, startHarness, type Harness } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.cc.close();
  h = undefined;
});

describe('drachtio link', () => {
  it('connects with a bounded reconnect back-off, handles error events, tracks state', async () => {
    const libs = new FakeLibraries();
    const clock = new ManualClock(T0);
    const { logger, lines } = captureLogger();
    const states: string[] = [];
    const link = new DrachtioLink({
      libs,
      host: '10.0.0.2',
      port: 9022,
      secret: 's3cret',
      reconnectMaxDelayMs: 5000,
      clock,
      logger,
      onInvite: () => undefined,
      onRegister: () => undefined,
      onStateChange: (s) => states.push(s),
    });
    link.start();
    expect(libs.srf.connectOpts).toEqual({ host: '10.0.0.2', port: 9022, secret: 's3cret', reconnect: { retryMaxDelay: 5000 } });
    expect(libs.srf.listenerCount('error')).toBe(1);
    // An error event must not throw (EventEmitter throws when nobody listens).
    expect(() => libs.srf.emit('error', new Error('connect ECONNREFUSED 10.0.0.2:9022'))).not.toThrow();
    libs.srf.up();
    libs.srf.emit('close');
    libs.srf.emit('connect', new Error('failed to authenticate to server'));
    libs.srf.up();
    expect(states).toEqual(['connecting', 'down', 'up', 'down', 'up']);
    expect(link.status()).toMatchObject({ state: 'up', connects: 2, sipAddresses: 'udp/127.0.0.1:5060' });
    expect(lines.some((l) => String(l['msg']).includes('refused the connection') && String(l['msg']).includes('DRACHTIO_SECRET'))).toBe(true);
    await link.close();
    expect(libs.shutdowns).toBe(1);
    expect(link.state).toBe('closed');
  });
});

describe('FreeSWITCH link', () => {
  function makeLink() {
    const libs = new FakeLibraries();
    libs.createSrf();
    const clock = new ManualClock(T0);
    const { logger } = captureLogger();
    const ups: boolean[] = [];
    let downs = 0;
    const link = new MediaServerLink({
      libs,
      srf: () => libs.srf.asSrf(),
      host: '127.0.0.1',
      port: 8021,
      secret: 'x',
      listenAddress: '127.0.0.1',
      channelControl: 'shared-socket',
      profile: 'hotline_mrf',
      clock,
      logger,
      backoff: { initialMs: 250, maxMs: 2000, factor: 2 },
      onUp: (r) => ups.push(r),
      onDown: () => (downs += 1),
    });
    return { libs, clock, link, ups, downs: () => downs };
  }

  it('retries a failed connection after 250, 500, 1000, 2000, 2000 ms, and resets after success', async () => {
    const { libs, clock, link, ups } = makeLink();
    link.start();
    const attemptsAt: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      attemptsAt.push(clock.nowMs() - T0);
      libs.connects.at(-1)!.result.reject(new Error('connect ECONNREFUSED'));
      await flush();
      expect(link.state).toBe('down');
      clock.advance(link.status().nextAttemptInMs!);
    }
    attemptsAt.push(clock.nowMs() - T0);
    expect(libs.connects).toHaveLength(6);
    expect(attemptsAt).toEqual([0, 250, 750, 1750, 3750, 5750]);
    const ms = new FakeMediaServer();
    libs.connects.at(-1)!.result.resolve(ms.asMs());
    await flush();
    expect(link.state).toBe('up');
    expect(ups).toEqual([false]);
    expect(libs.connects[0]!.opts).toMatchObject({ host: '127.0.0.1', port: 8021, listenAddress: '127.0.0.1', profile: 'hotline_mrf' });
    // Lost, then back: the first retry is again 250 ms away.
    ms.lose();
    expect(link.state).toBe('down');
    expect(ms.disconnected).toBe(1);
    expect(link.status().nextAttemptInMs).toBe(250);
    clock.advance(250);
    libs.connects.at(-1)!.result.resolve(new FakeMediaServer().asMs());
    await flush();
    expect(ups).toEqual([false, true]);
    link.close();
  });

  it('API commands have a time limit, fail while down, and the load poll reads status', async () => {
    const { libs, clock, link } = makeLink();
    link.start();
    const ms = new FakeMediaServer();
    ms.apiHandler = (cmd) => (cmd === 'status' ? fixture('fs-status.txt') : undefined);
    libs.connects[0]!.result.resolve(ms.asMs());
    await flush();
    expect(link.load).toMatchObject({ sessions: 118, maxSessions: 1000, sessionsPerSecondMax: 30, idleCpuPct: 41.27 });
    const pending = link.api('uuid_break x all');
    clock.advance(5000);
    await expect(pending).rejects.toMatchObject({ code: 'HOTLINE_E_DFS_TIMEOUT' });
    ms.lose();
    await expect(link.api('status')).rejects.toMatchObject({ code: 'HOTLINE_E_DFS_MEDIA_SERVER' });
    link.close();
    expect(clock.timerCount).toBe(0);
  });
});

describe('call control: connections and overload', () => {
  it('answers INVITEs with 503 while FreeSWITCH is away, takes calls again once it is back, and reconciles', async () => {
    h = await startHarness();
    expect(h.cc.health().ok).toBe(true);
    h.ms.lose();
    expect(h.cc.health()).toMatchObject({ ok: false, details: { freeswitch: { state: 'down' } } });
    const refused = h.invite();
    expect(refused.res.sent).toEqual([{ status: 503, headers: { 'Retry-After': '5' } }]);
    expect(h.calls).toHaveLength(0);
    // Back after the back-off; the new connection is reconciled with our calls.
    const back = new FakeMediaServer();
    back.autoCreate = h.ms.autoCreate;
    h.libs.autoConnect = back;
    h.clock.advance(250);
    await flush();
    expect(h.cc.health().ok).toBe(true);
    expect(back.apis).toContain('show channels as json');
    h.invite();
    expect(h.calls).toHaveLength(1);
  });

  it('kills our orphaned channels on connect, never another instance’s', async () => {
    const ms = new FakeMediaServer();
    const rows = JSON.parse(fixture('fs-show-channels.json')) as { rows: Array<{ uuid: string; created_epoch: string }> };
    // Recorded on another day: make the channels a minute old on the harness clock.
    for (const r of rows.rows) r.created_epoch = String(Math.floor(T0 / 1000) - 60);
    ms.apiHandler = (cmd) => {
      if (cmd === 'show channels as json') return JSON.stringify(rows);
      if (cmd.startsWith('uuid_getvar 5b1e8a4c')) return 'app-1';
      if (cmd.startsWith('uuid_getvar')) return 'app-2';
      if (cmd.startsWith('uuid_kill')) return '+OK\n';
      return '+OK\n';
    };
    h = await startHarness({ patch: { reconcileGraceSec: 30 } });
    // The harness connected to its own server; reconnect to this one.
    h.libs.autoConnect = ms;
    h.ms.lose();
    h.clock.advance(250);
    await flush();
    expect(ms.apis.filter((c) => c.startsWith('uuid_kill'))).toEqual(['uuid_kill 5b1e8a4c-2f0d-4c55-9f43-0c2b1d7f6a01']);
  });

  it('admission: a call over the setup cap gets 503 + Retry-After 2; health counts it', async () => {
    h = await startHarness();
    for (let i = 0; i < 3; i += 1) h.invite(fixture('sip-invite.txt').replace('inbound@', `inbound-${i}@`));
    expect(h.calls).toHaveLength(3);
    const fourth = h.invite(fixture('sip-invite.txt').replace('inbound@', 'inbound-4@'));
    expect(fourth.res.sent).toEqual([{ status: 503, headers: { 'Retry-After': '2' } }]);
    expect(h.cc.health().details).toMatchObject({ callsInSetup: 3, admission: { admitted: 3, shed: { 'setup-cap': 1 } } });
    // An answered call no longer counts as in setup.
    await h.calls[0]!.reject(486);
    expect(h.invite(fixture('sip-invite.txt').replace('inbound@', 'inbound-5@')).res.sent).toEqual([]);
  });

  it('admission: a late event loop sheds new calls', async () => {
    h = await startHarness();
    h.eventLoopDelayMs.value = 900;
    expect(h.invite().res.sent).toEqual([{ status: 503, headers: { 'Retry-After': '2' } }]);
    h.eventLoopDelayMs.value = 5;
    expect(h.invite(fixture('sip-invite.txt').replace('inbound@', 'x@')).res.sent).toEqual([]);
  });

  it('close() hangs up every call and shuts both connections down', async () => {
    h = await startHarness();
    h.invite();
    const { dialog, ep } = await h.answerLast();
    await h.cc.close();
    expect(dialog.destroyed).toBe(1);
    expect(ep.destroyed).toBe(1);
    expect(h.ms.disconnected).toBe(1);
    expect(h.libs.shutdowns).toBe(1);
    expect(h.cc.health().ok).toBe(false);
    h = undefined;
  });
});

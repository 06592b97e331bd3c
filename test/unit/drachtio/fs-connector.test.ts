/** Connecting to FreeSWITCH: every failure is a rejection, nothing is left reconnecting on its own. */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type Mrf from 'drachtio-fsmrf';
import type { EslConnectionConstructor } from 'drachtio-modesl';
import { connectMediaServer } from '../../../src/adapters/telephony/drachtio-freeswitch/fs-connector.js';
import { ManualClock } from '../../../src/domain/shared/fake-clock.js';
import { captureLogger, eslEvent, flush } from './fakes.js';
import { fixture } from './harness.js';

class FakeConnection extends EventEmitter {
  static last: FakeConnection | undefined;
  reconnectOpts: Record<string, unknown> = {};
  reconnectVars: Record<string, unknown> = {};
  apis: Array<{ cmd: string; cb: (e: ReturnType<typeof eslEvent>) => void }> = [];
  disconnected = 0;
  constructor(
    readonly host: string,
    readonly port: number,
    readonly password: string,
    readonly onReady: () => void,
  ) {
    super();
    FakeConnection.last = this;
  }
  connected(): boolean {
    return this.disconnected === 0;
  }
  api(cmd: string, cb: (e: ReturnType<typeof eslEvent>) => void): void {
    this.apis.push({ cmd, cb });
  }
  disconnect(): void {
    this.disconnected += 1;
  }
}

class FakeMediaServerCtor extends EventEmitter {
  static last: FakeMediaServerCtor | undefined;
  readonly args: unknown[];
  disconnected = 0;
  constructor(...args: unknown[]) {
    super();
    this.args = args;
    FakeMediaServerCtor.last = this;
  }
  disconnect(): void {
    this.disconnected += 1;
  }
}

function connect(clock = new ManualClock(0)) {
  const outcome: { value?: unknown; error?: Error } = {};
  const p = connectMediaServer(
    {
      Connection: FakeConnection as unknown as EslConnectionConstructor,
      MediaServer: FakeMediaServerCtor as unknown as Mrf.MediaServerConstructor,
      mrf: { fake: 'mrf' } as unknown as Mrf,
      timers: clock,
    },
    { host: '127.0.0.1', port: 8021, secret: 'pw', listenAddress: '127.0.0.1', channelControl: 'drachtio-fsmrf', profile: 'hotline_mrf', connectTimeoutMs: 5000, logger: captureLogger().logger },
  );
  p.then(
    (v) => (outcome.value = v),
    (e: Error) => (outcome.error = e),
  );
  return { conn: FakeConnection.last!, outcome, clock };
}

describe('FreeSWITCH connector', () => {
  it('switches the library reconnect off, checks the profile, then builds the MediaServer on 127.0.0.1', async () => {
    const { conn, outcome } = connect();
    expect(conn).toMatchObject({ host: '127.0.0.1', port: 8021, password: 'pw' });
    expect(conn.reconnectOpts).toEqual({ maxAttempts: 1 });
    expect(conn.reconnectVars).toMatchObject({ attempts: 1 });
    conn.onReady();
    expect(conn.apis.map((a) => a.cmd)).toEqual(['sofia status']);
    conn.apis[0]!.cb(eslEvent({ 'Content-Type': 'api/response' }, fixture('fs-sofia-status.txt')));
    const ms = FakeMediaServerCtor.last!;
    expect(ms.args).toEqual([conn, { fake: 'mrf' }, '127.0.0.1', 0, undefined, undefined, 'hotline_mrf']);
    ms.emit('ready');
    await flush();
    expect(outcome.value).toBe(ms);
    // Our connect-time listeners are gone; the link attaches its own.
    expect(conn.listenerCount('esl::end')).toBe(0);
  });

  it('a missing SIP profile is a clear rejection, not an exception thrown in a socket callback', async () => {
    const { conn, outcome } = connect();
    conn.onReady();
    conn.apis[0]!.cb(eslEvent({}, fixture('fs-sofia-status.txt').replace(/hotline_mrf/g, 'internal')));
    await flush();
    expect(outcome.error?.message).toMatch(/no running SIP profile "hotline_mrf"/);
    expect(conn.disconnected).toBe(1);
  });

  it.each([
    ['a refused connection', (c: FakeConnection) => c.emit('error', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8021'), { code: 'ECONNREFUSED' })), /ECONNREFUSED/],
    ['a wrong password', (c: FakeConnection) => c.emit('esl::event::auth::fail'), /password.*FREESWITCH_SECRET/],
    ['the ACL', (c: FakeConnection) => c.emit('esl::event::raw::text/rude-rejection'), /ACL/],
    ['a closed socket', (c: FakeConnection) => c.emit('esl::end'), /closed/],
  ] as const)('%s rejects and closes the connection', async (_what, act, message) => {
    const { conn, outcome } = connect();
    act(conn);
    await flush();
    expect(outcome.error?.message).toMatch(message);
    expect(conn.disconnected).toBe(1);
  });

  it('gives up after the connect time limit', async () => {
    const { conn, outcome, clock } = connect();
    clock.advance(5000);
    await flush();
    expect(outcome.error).toMatchObject({ code: 'HOTLINE_E_DFS_TIMEOUT' });
    expect(conn.disconnected).toBe(1);
  });

  it("a MediaServer that never gets ready is disconnected (drachtio-fsmrf's own 1 s error)", async () => {
    const { conn, outcome } = connect();
    conn.onReady();
    conn.apis[0]!.cb(eslEvent({}, fixture('fs-sofia-status.txt')));
    FakeMediaServerCtor.last!.emit('error', new Error('MediaServer not ready, timeout waiting for connection to freeswitch'));
    await flush();
    expect(outcome.error?.message).toMatch(/not ready/);
    expect(FakeMediaServerCtor.last!.disconnected).toBe(1);
  });
});

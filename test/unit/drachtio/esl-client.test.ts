/**
 * EslClient against a fake FreeSWITCH event socket on 127.0.0.1 (fake-event-socket.ts): authentication and
 * its failures, API commands, command replies, sendmsg bodies, the reply FIFO, events, the connection's end.
 */
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { EslClient } from '../../../src/adapters/telephony/drachtio-freeswitch/esl-client.js';
import type { EslEventView } from '../../../src/adapters/telephony/drachtio-freeswitch/esl-frames.js';
import { ManualClock } from '../../../src/domain/shared/fake-clock.js';
import { plainEvent, plainFrame } from './esl-plain.js';
import { DISCONNECT_NOTICE, FakeEventSocket, RUDE_REJECTION, frameBody, realFrame, until } from './fake-event-socket.js';
import { captureLogger } from './fakes.js';

let cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn();
  cleanup = [];
});

async function fakeServer(): Promise<FakeEventSocket> {
  const es = await FakeEventSocket.start();
  cleanup.push(() => es.close());
  return es;
}

function connect(es: { port: number; password: string }, clock = new ManualClock(), secret = es.password) {
  const { logger, lines } = captureLogger();
  const promise = EslClient.connect({ host: '127.0.0.1', port: es.port, secret, connectTimeoutMs: 3000, timers: clock, logger });
  promise.then((c) => cleanup.push(() => c.close())).catch(() => undefined);
  return { promise, clock, lines };
}

async function connected(es: FakeEventSocket) {
  const c = connect(es);
  const client = await c.promise;
  return { client, clock: c.clock, lines: c.lines };
}

/** Settles once the server saw the client's side of the connection close. */
const closedByClient = (sock: Socket): Promise<void> => new Promise((r) => (sock.readableEnded || sock.destroyed ? r() : sock.once('close', () => r())));


describe('EslClient.connect', () => {
  it('answers auth/request with `auth <secret>`, resolves on +OK and cancels its time limit', async () => {
    const es = await fakeServer();
    const { client, clock } = await connected(es);
    expect(es.lines).toEqual(['auth ClueCon-test']);
    expect(client.ended).toBe(false);
    expect(clock.timerCount).toBe(0);
  });

  it('a refused password (-ERR, disconnect notice) rejects naming FREESWITCH_SECRET, once', async () => {
    const es = await fakeServer();
    const c = connect(es, new ManualClock(), 'wrong');
    await expect(c.promise).rejects.toMatchObject({ code: 'HOTLINE_E_DFS_MEDIA_SERVER', message: expect.stringMatching(/refused the event-socket password.*FREESWITCH_SECRET/) as unknown });
    expect(c.clock.timerCount).toBe(0);
  });

  it('a -ERR to auth alone rejects naming FREESWITCH_SECRET and closes the connection', async () => {
    const es = await fakeServer();
    es.override = (cmd) => (cmd.head.startsWith('auth ') ? 'Content-Type: command/reply\nReply-Text: -ERR invalid\n\n' : undefined);
    const c = connect(es);
    await expect(c.promise).rejects.toThrow(/FREESWITCH_SECRET/);
    await closedByClient(es.socket);
  });

  it('a secret with a line break is refused before anything is sent (it would inject commands)', async () => {
    const es = await fakeServer();
    const c = connect(es, new ManualClock(), 'pw\napi shutdown');
    await expect(c.promise).rejects.toThrow(/must not contain a line break/);
    expect(es.commands).toEqual([]);
  });

  it("an ACL's text/rude-rejection rejects naming apply-inbound-acl, without sending the password", async () => {
    const es = await fakeServer();
    es.greeting = RUDE_REJECTION;
    const c = connect(es);
    await expect(c.promise).rejects.toThrow(/ACL rejected this address.*apply-inbound-acl/);
    await closedByClient(es.socket);
    expect(es.commands).toEqual([]);
  });

  it('a server that never asks for the password: rejects when the injected timer fires, not before', async () => {
    const es = await fakeServer();
    es.greeting = '';
    const c = connect(es);
    let outcome: unknown;
    c.promise.then(
      () => (outcome = 'resolved'),
      (err: unknown) => (outcome = err),
    );
    await until(() => es.sockets.length === 1, 'the connection');
    c.clock.advance(2999);
    await new Promise((r) => setTimeout(r, 20));
    expect(outcome).toBeUndefined();
    c.clock.advance(1);
    await expect(c.promise).rejects.toThrow(/no answer from FreeSWITCH's event socket at 127\.0\.0\.1:\d+ within 3000 ms/);
    await closedByClient(es.socket);
  });

  it('a refused port (ECONNREFUSED) rejects', async () => {
    const es = await FakeEventSocket.start();
    const port = es.port;
    await es.close();
    const c = connect({ port, password: 'x' });
    await expect(c.promise).rejects.toThrow(/event socket 127\.0\.0\.1:\d+: .*ECONNREFUSED/);
    expect(c.clock.timerCount).toBe(0);
  });
});

describe('EslClient commands', () => {
  it('api() resolves with the api/response body, also when it says -ERR', async () => {
    const es = await fakeServer();
    const { client } = await connected(es);
    expect(await client.api('status')).toBe(frameBody(realFrame('esl-api-status.txt')));
    expect(await client.api('no_such_thing arg')).toBe('-ERR no_such_thing Command not found!\n');
    expect(es.lines.slice(1)).toEqual(['api status', 'api no_such_thing arg']);
  });

  it('api() returns a multi-byte UTF-8 body whole', async () => {
    const es = await fakeServer();
    const text = 'Grüße, 王小明 ☎\n';
    es.override = (cmd) => (cmd.head === 'api echo' ? `Content-Type: api/response\nContent-Length: ${Buffer.byteLength(text)}\n\n${text}` : undefined);
    const { client } = await connected(es);
    expect(await client.api('echo')).toBe(text);
    expect(await client.api('status')).toContain('session(s)');
  });

  it('command() resolves with a +OK reply and rejects with a -ERR one, naming the command', async () => {
    const es = await fakeServer();
    const { client } = await connected(es);
    expect(await client.command('filter Event-Name DTMF')).toBe('+OK filter added. [Event-Name]=[DTMF]');
    await expect(client.command('nixevent ALL')).rejects.toMatchObject({ code: 'HOTLINE_E_DFS_MEDIA_SERVER', message: 'FreeSWITCH refused nixevent: -ERR command not found' });
    await expect(client.command('nixevent ALL', 'unsubscribe')).rejects.toThrow('FreeSWITCH refused unsubscribe: -ERR command not found');
  });

  it('replies go to the commands in the order they were sent (one FIFO for api and command)', async () => {
    const es = await fakeServer();
    const { client } = await connected(es);
    const results = await Promise.allSettled([
      client.api('status'),
      client.command('filter Unique-ID abc'),
      client.api('bogus'),
      client.command('nonsense'),
      client.sendmsg('abc', [['call-command', 'hangup']]),
      client.api('sofia status'),
    ]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value.slice(0, 40) : `rejected: ${(r.reason as Error).message}`))).toEqual([
      frameBody(realFrame('esl-api-status.txt')).slice(0, 40),
      '+OK filter added. [Unique-ID]=[abc]',
      '-ERR bogus Command not found!\n',
      'rejected: FreeSWITCH refused nonsense: -ERR command not found',
      '+OK',
      frameBody(realFrame('esl-api-sofia-status.txt')).slice(0, 40),
    ]);
  });

  it('sendmsg() writes its headers and a text/plain body with its length in bytes', async () => {
    const es = await fakeServer();
    const { client } = await connected(es);
    const arg = '/var/lib/hotline/prompts/Grüße-王小明.wav';
    const sent = client.sendmsg('5b1e8a4c-2f0d-4c55-9f43-0c2b1d7f6a01', [
      ['call-command', 'execute'],
      ['execute-app-name', 'playback'],
      ['Event-UUID', 'hotline-1'],
    ], arg);
    const next = client.api('status');
    expect(await sent).toBe('+OK');
    expect(await next).toContain('session(s)');
    expect(es.commands[1]!.raw.toString('utf8')).toBe(
      `sendmsg 5b1e8a4c-2f0d-4c55-9f43-0c2b1d7f6a01\ncall-command: execute\nexecute-app-name: playback\nEvent-UUID: hotline-1\ncontent-type: text/plain\ncontent-length: ${Buffer.byteLength(arg)}\n\n${arg}`,
    );
    expect(es.commands[1]!.body).toBe(arg);
    expect(es.lines[2]).toBe('api status');
  });

  it('sendmsg() without a body ends at the blank line; a refused one rejects', async () => {
    const es = await fakeServer();
    es.override = (cmd) => (cmd.head.startsWith('sendmsg gone') ? 'Content-Type: command/reply\nReply-Text: -ERR invalid session id [gone]\n\n' : undefined);
    const { client } = await connected(es);
    expect(await client.sendmsg('u-1', [['call-command', 'hangup'], ['hangup-cause', 'NORMAL_CLEARING']])).toBe('+OK');
    expect(es.commands[1]!.raw.toString()).toBe('sendmsg u-1\ncall-command: hangup\nhangup-cause: NORMAL_CLEARING\n\n');
    await expect(client.sendmsg('gone', [['call-command', 'hangup']])).rejects.toThrow('FreeSWITCH refused sendmsg: -ERR invalid session id [gone]');
  });

  it('writes of one event-loop turn go out corked, in one packet', async () => {
    const es = await fakeServer();
    const { client } = await connected(es);
    const socket = (client as unknown as { socket: Socket }).socket;
    const readsBefore = es.reads.length;
    const all = Promise.all([client.command('filter Event-Name DTMF'), client.command('filter Event-Name CHANNEL_PARK'), client.api('status')]);
    expect(socket.writableCorked).toBe(1);
    await new Promise((r) => setImmediate(r));
    expect(socket.writableCorked).toBe(0);
    await all;
    expect(es.reads.length - readsBefore).toBe(1);
    expect(es.reads.at(-1)!.toString()).toBe('filter Event-Name DTMF\n\nfilter Event-Name CHANNEL_PARK\n\napi status\n\n');
  });
});

describe('EslClient events and end', () => {
  it('hands text/event-plain events to every listener, between replies', async () => {
    const es = await fakeServer();
    const { client } = await connected(es);
    const a: EslEventView[] = [];
    const b: string[] = [];
    client.onEvent((ev) => a.push(ev));
    client.onEvent((ev) => b.push(ev.getHeader('DTMF-Digit') ?? '?'));
    es.override = (cmd) =>
      cmd.head === 'api status'
        ? plainFrame(plainEvent('DTMF', 'u-1', { 'DTMF-Digit': '4' })) + realFrame('esl-api-uuid-break.txt') + plainFrame(plainEvent('DTMF', 'u-2', { 'DTMF-Digit': '#' }))
        : undefined;
    expect(await client.api('status')).toBe('+OK\n');
    await until(() => b.length === 2, 'two events');
    expect(a.map((ev) => ev.getHeader('Unique-ID'))).toEqual(['u-1', 'u-2']);
    expect(b).toEqual(['4', '#']);
  });

  it('a listener that throws is logged; the next frames are still read', async () => {
    const es = await fakeServer();
    const { client, lines } = await connected(es);
    client.onEvent(() => {
      throw new Error('listener bug');
    });
    es.override = (cmd) => (cmd.head === 'api status' ? plainFrame(plainEvent('DTMF', 'u-1')) + realFrame('esl-api-uuid-break.txt') : undefined);
    expect(await client.api('status')).toBe('+OK\n');
    expect(lines.some((l) => l['msg'] === 'event-socket frame handler failed' && l['err'] === 'listener bug')).toBe(true);
  });

  it("a disconnect notice ends the client once: pending commands rejected, later ones refused, late onEnd told", async () => {
    const es = await fakeServer();
    es.override = (cmd) => (cmd.head === 'api hold' ? null : undefined);
    const { client } = await connected(es);
    const ends: string[] = [];
    client.onEnd((why) => ends.push(why));
    const pending = client.api('hold');
    await until(() => es.commands.length === 2, 'the held command');
    es.socket.end(DISCONNECT_NOTICE);
    await expect(pending).rejects.toThrow('FreeSWITCH event socket: FreeSWITCH is closing the connection (hold unanswered)');
    await new Promise((r) => setTimeout(r, 20));
    expect(ends).toEqual(['FreeSWITCH is closing the connection']);
    expect(client.ended).toBe(true);
    const late: string[] = [];
    client.onEnd((why) => late.push(why));
    expect(late).toEqual(['FreeSWITCH is closing the connection']);
    await expect(client.api('status')).rejects.toThrow('FreeSWITCH event socket is closed (status)');
  });

  it('a closed connection ends the client and rejects what was pending', async () => {
    const es = await fakeServer();
    es.override = (cmd) => (cmd.head.startsWith('filter') ? null : undefined);
    const { client } = await connected(es);
    const ends: string[] = [];
    client.onEnd((why) => ends.push(why));
    const pending = [client.command('filter Event-Name DTMF'), client.command('filter Event-Name CHANNEL_PARK', 'filter')];
    await until(() => es.commands.length === 3, 'the held commands');
    es.socket.destroy();
    const settled = await Promise.allSettled(pending);
    expect(settled.map((s) => (s.status === 'rejected' ? (s.reason as Error).message : 'resolved'))).toEqual([
      'FreeSWITCH event socket: connection closed (filter unanswered)',
      'FreeSWITCH event socket: connection closed (filter unanswered)',
    ]);
    expect(ends).toEqual(['connection closed']);
  });

  it('data that is not ESL ends the client', async () => {
    const es = await fakeServer();
    const { client } = await connected(es);
    const ends: string[] = [];
    client.onEnd((why) => ends.push(why));
    es.send('Content-Type: api/response\nContent-Length: lots\n\n');
    await until(() => ends.length > 0, 'the end');
    expect(ends[0]).toMatch(/^unreadable data from FreeSWITCH: a bad event-socket Content-Length: lots/);
    await closedByClient(es.socket);
  });

  it('close() ends it as "closed by us" and drops the connection', async () => {
    const es = await fakeServer();
    const { client } = await connected(es);
    const ends: string[] = [];
    client.onEnd((why) => ends.push(why));
    client.close();
    client.close();
    expect(ends).toEqual(['closed by us']);
    await closedByClient(es.socket);
  });
});

/**
 * Our connector with the real drachtio-fsmrf 4.1.2 / drachtio-modesl against a scripted event socket on
 * 127.0.0.1 (a port the OS picks): the frames FreeSWITCH sends (auth/request, command/reply, api/response)
 * are written by hand from the event-socket protocol. Checks what only the real libraries can show: the
 * outbound listener on 127.0.0.1, the `%` guard on a live parser, no reconnect after a refused password.
 * Skipped when the packages are not installed.
 */
import { createRequire } from 'node:module';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../../src/ports/clock.js';
import type { MediaServerApi } from '../../../src/adapters/telephony/drachtio-freeswitch/types.js';
import { FakeSrf, captureLogger } from './fakes.js';
import { fixture } from './harness.js';

const installed = (() => {
  try {
    createRequire(import.meta.url).resolve('drachtio-fsmrf');
    createRequire(import.meta.url).resolve('drachtio-srf');
    return true;
  } catch {
    return false;
  }
})();

const timers: Pick<Clock, 'setTimer'> = {
  setTimer: (ms, fn) => {
    const t = setTimeout(fn, ms);
    return { cancel: () => clearTimeout(t) };
  },
};

const frame = (headers: string, body?: string): string =>
  body === undefined ? `${headers}\n\n` : `${headers}\nContent-Length: ${Buffer.byteLength(body)}\n\n${body}`;

/** A scripted FreeSWITCH event socket. */
async function scriptedEventSocket(password: string): Promise<{ port: number; connections: () => number; commands: string[]; sockets: net.Socket[]; close(): Promise<void> }> {
  const commands: string[] = [];
  const sockets: net.Socket[] = [];
  let count = 0;
  const server = net.createServer((sock) => {
    count += 1;
    sockets.push(sock);
    sock.on('error', () => undefined);
    let buf = '';
    sock.write(frame('Content-Type: auth/request'));
    sock.on('data', (d) => {
      buf += d.toString();
      let at: number;
      while ((at = buf.indexOf('\n\n')) !== -1) {
        const cmd = buf.slice(0, at).trim();
        buf = buf.slice(at + 2);
        commands.push(cmd);
        if (cmd.startsWith('auth ')) {
          if (cmd === `auth ${password}`) sock.write(frame('Content-Type: command/reply\nReply-Text: +OK accepted'));
          else {
            sock.write(frame('Content-Type: command/reply\nReply-Text: -ERR invalid'));
            sock.end();
          }
        } else if (cmd.startsWith('event ')) sock.write(frame('Content-Type: command/reply\nReply-Text: +OK event listener enabled json'));
        else if (cmd === 'api sofia status') sock.write(frame('Content-Type: api/response', fixture('fs-sofia-status.txt')));
        else if (cmd === 'api status') sock.write(frame('Content-Type: api/response', fixture('fs-status.txt')));
        else if (cmd === 'exit') sock.end(frame('Content-Type: command/reply\nReply-Text: +OK bye'));
        else sock.write(frame('Content-Type: api/response', '-ERR unknown\n'));
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    connections: () => count,
    commands,
    sockets,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

let cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn();
  cleanup = [];
});

describe.skipIf(!installed)('connector with the real drachtio-fsmrf and drachtio-modesl', () => {
  it('connects, checks the profile, listens for channels on 127.0.0.1, runs API commands, survives a stray %', async () => {
    const { loadDrachtioLibraries } = await import('../../../src/adapters/telephony/drachtio-freeswitch/libraries.js');
    const es = await scriptedEventSocket('ClueCon-test');
    cleanup.push(() => es.close());
    const { logger } = captureLogger();
    const libs = loadDrachtioLibraries(logger, timers);
    const ms: MediaServerApi = await libs.connectMediaServer(
      { host: '127.0.0.1', port: es.port, secret: 'ClueCon-test', listenAddress: '127.0.0.1', channelControl: 'drachtio-fsmrf', profile: 'hotline_mrf', connectTimeoutMs: 3000, logger },
      new FakeSrf().asSrf(),
    );
    cleanup.push(() => ms.disconnect());
    expect((ms as unknown as { listenAddress: string }).listenAddress).toBe('127.0.0.1');
    expect(es.commands.slice(0, 2)).toEqual(['auth ClueCon-test', 'api sofia status']);
    expect(await ms.api('status')).toContain('session(s) max');
    // A reply nobody waits for, with a % that is not an escape: unguarded, an uncaught URIError.
    es.sockets[0]!.write(frame('Content-Type: command/reply\nReply-Text: -ERR 100% wrong'));
    await new Promise((r) => setTimeout(r, 50));
    expect(await ms.api('status')).toContain('session(s) max');
  });

  it('a wrong password rejects once and leaves nothing reconnecting', async () => {
    const { loadDrachtioLibraries } = await import('../../../src/adapters/telephony/drachtio-freeswitch/libraries.js');
    const es = await scriptedEventSocket('right');
    cleanup.push(() => es.close());
    const { logger } = captureLogger();
    const libs = loadDrachtioLibraries(logger, timers);
    await expect(
      libs.connectMediaServer({ host: '127.0.0.1', port: es.port, secret: 'wrong', listenAddress: '127.0.0.1', channelControl: 'drachtio-fsmrf', profile: 'hotline_mrf', connectTimeoutMs: 3000, logger }, new FakeSrf().asSrf()),
    ).rejects.toThrow(/password|closed/);
    await new Promise((r) => setTimeout(r, 600));
    expect(es.connections()).toBe(1);
  });

  it('a refused port rejects once and leaves nothing reconnecting', async () => {
    const { loadDrachtioLibraries } = await import('../../../src/adapters/telephony/drachtio-freeswitch/libraries.js');
    const es = await scriptedEventSocket('x');
    const port = es.port;
    await es.close(); // nothing listens there now
    const { logger, lines } = captureLogger();
    const libs = loadDrachtioLibraries(logger, timers);
    await expect(
      libs.connectMediaServer({ host: '127.0.0.1', port, secret: 'x', listenAddress: '127.0.0.1', channelControl: 'drachtio-fsmrf', profile: 'hotline_mrf', connectTimeoutMs: 3000, logger }, new FakeSrf().asSrf()),
    ).rejects.toThrow(/ECONNREFUSED/);
    await new Promise((r) => setTimeout(r, 300));
    // drachtio-modesl's own reconnect would have logged and retried every ~1 ms by now.
    expect(lines.filter((l) => String(l['err'] ?? '').includes('ECONNREFUSED')).length).toBeLessThanOrEqual(1);
  });
});

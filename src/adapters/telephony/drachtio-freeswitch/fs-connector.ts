/**
 * Connecting to FreeSWITCH's event socket, once, with every failure reported as a rejection.
 *
 * drachtio-fsmrf's Mrf#connect is not used because of what it leaves behind: its connection reconnects on
 * its own with an unbounded (and, after a refused first attempt, ~1 ms) delay and keeps doing so after the
 * connect promise rejected, later creating a MediaServer nobody holds; and a missing SIP profile makes
 * MediaServer throw inside a socket callback (an uncaught exception). So we build the same pieces ourselves:
 * the inbound esl.Connection with its own reconnect switched off (we reconnect, with a bounded back-off, in
 * media-server-link.ts), a `sofia status` check of the profile, then drachtio-fsmrf's MediaServer on it.
 */
import type { EslConnection, EslConnectionConstructor } from 'drachtio-modesl';
import type Mrf from 'drachtio-fsmrf';
import type { Clock } from '../../../ports/clock.js';
import { DfsError, describeError } from './errors.js';
import { sofiaProfileAddress } from './fs-messages.js';
import type { MediaServerApi, MediaServerConnectOptions } from './types.js';

export interface ConnectorDeps {
  Connection: EslConnectionConstructor;
  MediaServer: Mrf.MediaServerConstructor;
  /** A Mrf holding the (guarded) Srf the MediaServer places media legs with. */
  mrf: Mrf;
  timers: Pick<Clock, 'setTimer'>;
}

export function connectMediaServer(deps: ConnectorDeps, opts: MediaServerConnectOptions): Promise<MediaServerApi> {
  const log = opts.logger;
  return new Promise<MediaServerApi>((resolve, reject) => {
    let settled = false;
    let ms: Mrf.MediaServer | undefined;
    const listeners: Array<[string, (...args: never[]) => void]> = [];
    const conn: EslConnection = new deps.Connection(opts.host, opts.port, opts.secret, () => onReady());
    // Connection.js `_onConnectionGone`: no reconnect once attempts >= maxAttempts. We own reconnecting.
    conn.reconnectOpts = { maxAttempts: 1 };
    conn.reconnectVars = { ...conn.reconnectVars, attempts: 1 };

    const listen = (event: string, fn: (...args: never[]) => void): void => {
      listeners.push([event, fn]);
      conn.on(event, fn);
    };
    const detach = (): void => {
      for (const [event, fn] of listeners) conn.removeListener(event, fn);
    };
    const timeout = deps.timers.setTimer(opts.connectTimeoutMs, () =>
      fail(new DfsError('HOTLINE_E_DFS_TIMEOUT', `no answer from FreeSWITCH's event socket at ${opts.host}:${opts.port} within ${opts.connectTimeoutMs} ms`)),
    );

    const fail = (err: Error): void => {
      if (settled) return;
      settled = true;
      timeout.cancel();
      detach();
      try {
        if (ms !== undefined) ms.disconnect();
        else conn.disconnect();
      } catch (closeErr) {
        log.debug({ err: describeError(closeErr) }, 'closing a failed event-socket connection');
      }
      reject(err);
    };

    listen('error', (err: unknown) => {
      // Socket errors (ECONNREFUSED, ECONNRESET) end the attempt; a parse error on a live connection does not.
      const code = (err as { code?: unknown }).code;
      if (typeof code === 'string' && code.startsWith('E')) fail(new DfsError('HOTLINE_E_DFS_MEDIA_SERVER', `event socket ${opts.host}:${opts.port}: ${describeError(err)}`));
      else log.warn({ err: describeError(err) }, 'event-socket error while connecting');
    });
    listen('esl::end', () => fail(new DfsError('HOTLINE_E_DFS_MEDIA_SERVER', `FreeSWITCH closed the event-socket connection (${opts.host}:${opts.port})`)));
    listen('esl::event::auth::fail', () => fail(new DfsError('HOTLINE_E_DFS_MEDIA_SERVER', 'FreeSWITCH refused the event-socket password: check FREESWITCH_SECRET against event_socket.conf.xml')));
    listen('esl::event::raw::text/rude-rejection', () => fail(new DfsError('HOTLINE_E_DFS_MEDIA_SERVER', "FreeSWITCH's event-socket ACL rejected this address: check apply-inbound-acl in event_socket.conf.xml")));

    const onReady = (): void => {
      if (settled) return;
      conn.api('sofia status', (res) => {
        if (settled) return;
        const body = res.getBody() ?? '';
        const address = sofiaProfileAddress(body, opts.profile);
        if (address === null) {
          fail(new DfsError('HOTLINE_E_DFS_MEDIA_SERVER', `FreeSWITCH has no running SIP profile "${opts.profile}" (see asterisk-or-freeswitch/); sofia status says:\n${body.trim()}`));
          return;
        }
        log.debug({ profile: opts.profile, address }, 'FreeSWITCH media profile found');
        try {
          ms = new deps.MediaServer(conn, deps.mrf, opts.listenAddress, 0, undefined, undefined, opts.profile);
        } catch (err) {
          fail(new DfsError('HOTLINE_E_DFS_LIBRARY', `drachtio-fsmrf MediaServer: ${describeError(err)}`));
          return;
        }
        ms.once('ready', () => {
          if (settled) return;
          settled = true;
          timeout.cancel();
          detach();
          resolve(ms! as unknown as MediaServerApi);
        });
        ms.once('error', (err: Error) => fail(new DfsError('HOTLINE_E_DFS_MEDIA_SERVER', describeError(err))));
      });
    };
  });
}

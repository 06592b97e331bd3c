/**
 * The only module that loads drachtio-srf, drachtio-fsmrf and drachtio-modesl. It is loaded lazily (the
 * built-in engine never needs these packages), resolves drachtio-modesl from drachtio-fsmrf's own location so
 * that the `%` guard patches the very parser drachtio-fsmrf uses, and reports a missing package as an error a
 * person can act on.
 */
import { createRequire } from 'node:module';
import { Socket } from 'node:net';
import type { Logger } from 'pino';
import type SrfClass from 'drachtio-srf';
import type MrfClass from 'drachtio-fsmrf';
import type esl from 'drachtio-modesl';
import type MediaServerClass from 'drachtio-fsmrf/lib/mediaserver.js';
import type { Clock } from '../../../ports/clock.js';
import { installEslDecodeGuard } from './esl-decode-guard.js';
import { installEslSendCoalescing, type ConnectionPrototype } from './esl-send.js';
import { DfsError, describeError } from './errors.js';
import { EslMediaServer } from './esl-media-server.js';
import { batchWrites } from './write-batching.js';
import { connectMediaServer } from './fs-connector.js';
import { guardedSrfForMrf } from './fsmrf-guards.js';
import type { DrachtioLibraries, SrfApi } from './types.js';

/** The versions this adapter was written and tested against. */
export const TESTED_VERSIONS = Object.freeze({ 'drachtio-srf': '5.0.29', 'drachtio-fsmrf': '4.1.2' });

function requireOrExplain<T>(req: NodeJS.Require, id: string): T {
  try {
    return req(id) as T;
  } catch (err) {
    throw new DfsError(
      'HOTLINE_E_DFS_LIBRARY',
      `cannot load ${id} (${describeError(err)}): it is a dependency of hotline's drachtio-freeswitch adapter; run npm install`,
    );
  }
}

function versionOf(req: NodeJS.Require, pkg: string): string | undefined {
  try {
    return (req(`${pkg}/package.json`) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

/** drachtio-srf's internals we must reach to stop its reconnect timer (wire-protocol.js) on close. */
interface SrfInternals {
  _app?: {
    client?: {
      wp?: { closing?: boolean; reconnectVars?: { retryTimer?: NodeJS.Timeout | null }; mapTimerPing?: Map<unknown, NodeJS.Timeout> };
      mapServer?: Map<{ destroy(): void; destroyed?: boolean }, unknown>;
    };
  };
}

/**
 * srf.disconnect() ends the socket but neither clears a pending reconnect timer (whose callback opens a new
 * socket without checking `closing`) nor works when no socket is up (it throws). So we do both ourselves.
 */
async function shutdownSrf(srf: SrfApi, log: Logger): Promise<void> {
  try {
    srf.disconnect();
  } catch (err) {
    log.debug({ err: describeError(err) }, 'srf.disconnect() (no connection up)');
  }
  const client = (srf as unknown as SrfInternals)._app?.client;
  const wp = client?.wp;
  if (wp !== undefined) {
    wp.closing = true;
    const timer = wp.reconnectVars?.retryTimer;
    if (timer) clearTimeout(timer);
    if (wp.reconnectVars) wp.reconnectVars.retryTimer = null;
    for (const ping of wp.mapTimerPing?.values() ?? []) clearInterval(ping);
    wp.mapTimerPing?.clear();
  }
  // Give the server a moment to close its side, then make sure no socket outlives close().
  await new Promise((resolve) => setTimeout(resolve, 50));
  for (const socket of client?.mapServer?.keys() ?? []) {
    if (socket.destroyed !== true) socket.destroy();
  }
}

export function loadDrachtioLibraries(log: Logger, timers: Pick<Clock, 'setTimer'>): DrachtioLibraries {
  const here = createRequire(import.meta.url);
  const Srf = requireOrExplain<typeof SrfClass>(here, 'drachtio-srf');
  const srfVersion = versionOf(here, 'drachtio-srf');
  if (srfVersion !== TESTED_VERSIONS['drachtio-srf']) {
    log.warn({ version: srfVersion, tested: TESTED_VERSIONS['drachtio-srf'] }, 'drachtio-srf version differs from the one this adapter was tested with');
  }
  let fsmrf: FsmrfParts | undefined;
  return {
    createSrf: () => {
      const srf = new Srf() as unknown as SrfApi;
      srf.on('connect', () => batchSrfWrites(srf));
      return srf;
    },
    shutdownSrf: (srf) => shutdownSrf(srf, log),
    connectMediaServer: (opts, srf) => {
      if (opts.channelControl === 'shared-socket') return EslMediaServer.connect(opts, srf, timers);
      fsmrf ??= loadFsmrf(here, log);
      const { Mrf, MediaServer, modesl } = fsmrf;
      return connectMediaServer({ Connection: modesl.Connection, MediaServer, mrf: new Mrf(guardedSrfForMrf(srf, opts.logger)), timers }, opts);
    },
  };
}

/** The control connection's writes of one event-loop turn leave together (write-batching.ts). */
function batchSrfWrites(srf: SrfApi): void {
  const client = (srf as unknown as SrfInternals)._app?.client;
  for (const socket of client?.mapServer?.keys() ?? []) {
    if (socket instanceof Socket) batchWrites(socket);
  }
}

interface FsmrfParts {
  Mrf: typeof MrfClass;
  MediaServer: typeof MediaServerClass;
  modesl: typeof esl;
}

/** drachtio-fsmrf and the drachtio-modesl it uses, patched; loaded only for channelControl drachtio-fsmrf. */
function loadFsmrf(here: NodeJS.Require, log: Logger): FsmrfParts {
  const Mrf = requireOrExplain<typeof MrfClass>(here, 'drachtio-fsmrf');
  const fromFsmrf = createRequire(here.resolve('drachtio-fsmrf'));
  const MediaServer = requireOrExplain<typeof MediaServerClass>(fromFsmrf, './mediaserver.js');
  const modesl = requireOrExplain<typeof esl>(fromFsmrf, 'drachtio-modesl');
  const version = versionOf(here, 'drachtio-fsmrf');
  if (version !== TESTED_VERSIONS['drachtio-fsmrf']) {
    log.warn({ version, tested: TESTED_VERSIONS['drachtio-fsmrf'] }, 'drachtio-fsmrf version differs from the one this adapter was tested with');
  }
  if (!installEslDecodeGuard(modesl.Parser.prototype)) {
    log.error('drachtio-modesl has no Parser#_parseHeaderText: the % decoding guard is NOT installed (a stray % in an event could crash the process)');
  }
  if (!installEslSendCoalescing(modesl.Connection.prototype as unknown as ConnectionPrototype)) {
    log.warn('drachtio-modesl has no Connection#send: event-socket commands are written in pieces (more CPU per call)');
  }
  return { Mrf, MediaServer, modesl };
}

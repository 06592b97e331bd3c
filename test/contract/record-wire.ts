/**
 * Records what the real servers send and what we send them, for the unit tests' fixtures
 * (test/unit/drachtio/fixtures/real/): loaded by drachtio-freeswitch.contract.test.ts only when
 * HOTLINE_RECORD_WIRE names a directory. It wraps, in this test process only:
 *
 *   - drachtio-srf's WireProtocol: every message from drachtio-server ('msg') and every one we send;
 *   - drachtio-modesl's Parser#_onData (the raw event-socket bytes FreeSWITCH sends) and Connection#send
 *     (the commands we send), on the inbound connection and on every per-channel outbound connection.
 *
 * One JSON line per message: {t (ms since start), conn, dir: "in"|"out", data}. conn names the connection
 * ("drachtio-1", "esl-inbound-1", "esl-outbound-3"). Nothing here changes what the libraries do.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

interface Sock {
  remotePort?: number;
  localPort?: number;
}

export function installWireRecorder(dir: string, eslPort: number): void {
  mkdirSync(dir, { recursive: true });
  const t0 = Date.now();
  const write = (file: string, conn: string, dirn: 'in' | 'out', data: string): void =>
    appendFileSync(path.join(dir, file), `${JSON.stringify({ t: Date.now() - t0, conn, dir: dirn, data })}\n`);

  const here = createRequire(import.meta.url);
  const fromSrf = createRequire(here.resolve('drachtio-srf'));
  const fromFsmrf = createRequire(here.resolve('drachtio-fsmrf'));

  // drachtio-srf: lib/wire-protocol.js
  const WireProtocol = fromSrf('./wire-protocol.js') as { prototype: Record<string, (...a: unknown[]) => unknown> };
  const ids = new WeakMap<object, string>();
  let drachtioN = 0;
  const idOf = (socket: object, make: () => string): string => {
    let id = ids.get(socket);
    if (id === undefined) {
      id = make();
      ids.set(socket, id);
    }
    return id;
  };
  const emit = WireProtocol.prototype['emit']!;
  WireProtocol.prototype['emit'] = function (this: unknown, name: unknown, ...args: unknown[]) {
    if (name === 'msg' && typeof args[1] === 'string') write('drachtio.jsonl', idOf(args[0] as object, () => `drachtio-${++drachtioN}`), 'in', args[1]);
    return emit.call(this, name, ...args);
  };
  const send = WireProtocol.prototype['send']!;
  WireProtocol.prototype['send'] = function (this: unknown, socket: unknown, msg: unknown) {
    const id = send.call(this, socket, msg);
    write('drachtio.jsonl', idOf(socket as object, () => `drachtio-${++drachtioN}`), 'out', `${String(id)}|${String(msg)}`);
    return id;
  };

  // drachtio-modesl: lib/esl/Parser.js and Connection.js, as drachtio-fsmrf resolves them
  const modesl = fromFsmrf('drachtio-modesl') as { Parser: { prototype: Record<string, unknown> }; Connection: { prototype: Record<string, unknown> } };
  let inboundN = 0;
  let outboundN = 0;
  const eslId = (socket: Sock & object): string =>
    idOf(socket, () => (socket.remotePort === eslPort ? `esl-inbound-${++inboundN}` : `esl-outbound-${++outboundN}`));
  const onData = modesl.Parser.prototype['_onData'] as (this: { socket: Sock & object }, data: Buffer) => unknown;
  modesl.Parser.prototype['_onData'] = function (this: { socket: Sock & object }, data: Buffer) {
    write('esl.jsonl', eslId(this.socket), 'in', data.toString('utf8'));
    return onData.call(this, data);
  };
  const connSend = modesl.Connection.prototype['send'] as (this: { socket: (Sock & object) | null }, command: string, args?: Record<string, string>) => unknown;
  modesl.Connection.prototype['send'] = function (this: { socket: (Sock & object) | null }, command: string, args?: Record<string, string>) {
    if (this.socket) {
      const extra = args ? Object.entries(args).map(([k, v]) => `${k}: ${v}\n`).join('') : '';
      write('esl.jsonl', eslId(this.socket), 'out', `${command}\n${extra}\n`);
    }
    return connSend.call(this, command, args);
  };
}

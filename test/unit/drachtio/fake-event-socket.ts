/**
 * A fake FreeSWITCH inbound event socket on 127.0.0.1 (a port the OS picks), speaking the real protocol:
 * auth/request on connect, then commands ended by a blank line (with a `content-length` body for sendmsg),
 * answered in order by command/reply or api/response frames. Replies to auth, `api sofia status` and
 * `api status` are the frames recorded from FreeSWITCH 1.10.12 (fixtures/real). The test plays the rest:
 * events, a disconnect notice, a dropped connection.
 */
import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { eslFrame } from './esl-plain.js';

export const realFrame = (name: string): string => readFileSync(path.join(import.meta.dirname, 'fixtures', 'real', name), 'utf8');

/** A frame's body: what follows its blank line. */
export const frameBody = (frame: string): string => frame.slice(frame.indexOf('\n\n') + 2);

export interface EsCommand {
  /** The command line and its headers, without the blank line. */
  head: string;
  /** The body (sendmsg's text/plain argument), decoded as UTF-8. */
  body: string;
  /** Every byte of the command as it came. */
  raw: Buffer;
}

/** What FreeSWITCH sends before closing a connection (mod_event_socket). */
export const DISCONNECT_NOTICE = eslFrame('Content-Type: text/disconnect-notice', 'Disconnected, goodbye.\nSee you at ClueCon! http://www.cluecon.com/\n');
export const RUDE_REJECTION = eslFrame('Content-Type: text/rude-rejection', 'Access Denied, go away.\n');

const reply = (text: string): string => `Content-Type: command/reply\nReply-Text: ${text}\n\n`;
const apiResponse = (body: string): string => eslFrame('Content-Type: api/response', body);

/** Answers a command; undefined: no answer (a command left pending). */
export type EsReplier = (cmd: EsCommand, sock: net.Socket) => string | undefined;

export class FakeEventSocket {
  readonly commands: EsCommand[] = [];
  /** Every read the server got, as it got it (to see how our writes were packed). */
  readonly reads: Buffer[] = [];
  readonly sockets: net.Socket[] = [];
  password = 'ClueCon-test';
  /** Sent on connect; '' for a server that says nothing. */
  greeting = realFrame('esl-auth-request.txt');
  /** The `api sofia status` body (recorded). */
  sofiaStatus = frameBody(realFrame('esl-api-sofia-status.txt'));
  /** Overrides the default answers for the commands it returns a string (or null: no answer) for. */
  override: ((cmd: EsCommand) => string | null | undefined) | undefined;

  private constructor(private readonly server: net.Server) {}

  static async start(): Promise<FakeEventSocket> {
    const server = net.createServer();
    const es = new FakeEventSocket(server);
    server.on('connection', (sock) => es.accept(sock));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    return es;
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  /** The connection of the last client. */
  get socket(): net.Socket {
    const s = this.sockets.at(-1);
    if (s === undefined) throw new Error('no connection yet');
    return s;
  }

  send(text: string): void {
    this.socket.write(text);
  }

  /** Lines of the commands received, first line of each. */
  get lines(): string[] {
    return this.commands.map((c) => c.head.split('\n')[0]!);
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(sock: net.Socket): void {
    this.sockets.push(sock);
    sock.on('error', () => undefined);
    if (this.greeting !== '') sock.write(this.greeting);
    let buf = Buffer.alloc(0);
    sock.on('data', (chunk: Buffer) => {
      this.reads.push(chunk);
      buf = Buffer.concat([buf, chunk]);
      for (;;) {
        const end = buf.indexOf('\n\n');
        if (end < 0) return;
        const head = buf.toString('utf8', 0, end);
        const length = Number(/^content-length: *(\d+)$/im.exec(head)?.[1] ?? 0);
        if (buf.length < end + 2 + length) return;
        const cmd: EsCommand = { head, body: buf.toString('utf8', end + 2, end + 2 + length), raw: Buffer.from(buf.subarray(0, end + 2 + length)) };
        buf = buf.subarray(end + 2 + length);
        this.commands.push(cmd);
        const out = this.answer(cmd, sock);
        if (out !== undefined) sock.write(out);
      }
    });
  }

  private answer(cmd: EsCommand, sock: net.Socket): string | undefined {
    const custom = this.override?.(cmd);
    if (custom === null) return undefined;
    if (custom !== undefined) return custom;
    const line = cmd.head.split('\n')[0]!;
    if (line.startsWith('auth ')) {
      if (line === `auth ${this.password}`) return realFrame('esl-auth-accepted.txt');
      // FreeSWITCH's answer to a wrong password, then it hangs up.
      sock.end(reply('-ERR invalid') + DISCONNECT_NOTICE);
      return undefined;
    }
    if (line === 'api sofia status') return apiResponse(this.sofiaStatus);
    if (line === 'api status') return realFrame('esl-api-status.txt');
    if (line.startsWith('api ')) return apiResponse(`-ERR ${line.slice(4).split(' ')[0]} Command not found!\n`);
    if (line.startsWith('event plain ')) return reply('+OK event listener enabled plain');
    if (line.startsWith('filter ')) {
      const [, name, value] = line.split(' ');
      return reply(`+OK filter added. [${name}]=[${value}]`);
    }
    if (line.startsWith('sendmsg ')) return reply('+OK');
    return reply('-ERR command not found');
  }
}

/** Waits (real time, at most 2 s) until `cond` holds. */
export async function until(cond: () => boolean, what = 'a condition'): Promise<void> {
  const deadline = Date.now() + 2000;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

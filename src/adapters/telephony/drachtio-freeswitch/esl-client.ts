/**
 * Our inbound connection to FreeSWITCH's event socket: authenticate, run API commands, send channel
 * messages (sendmsg), and receive the events we subscribed to. Commands are answered strictly in order, so
 * one FIFO of waiting replies is enough. Writes issued in the same tick go out in one packet (cork), since on
 * a virtual machine each socket write and each wake-up of a reader costs tens of microseconds.
 *
 *   connecting --auth/request--> authenticating --+OK--> ready --close/disconnect-notice--> ended
 *        \___________________ any failure (refused, ACL, bad password, time limit) _______/
 */
import { Socket } from 'node:net';
import type { Logger } from 'pino';
import type { Clock } from '../../../ports/clock.js';
import { DfsError, describeError } from './errors.js';
import { EslEventView, EslFrameReader, type EslFrame } from './esl-frames.js';
import { batchWrites } from './write-batching.js';

export interface EslClientOptions {
  host: string;
  port: number;
  secret: string;
  connectTimeoutMs: number;
  timers: Pick<Clock, 'setTimer'>;
  logger: Logger;
}

interface Waiter {
  kind: 'command' | 'api';
  what: string;
  resolve(text: string): void;
  reject(err: Error): void;
}

export class EslClient {
  private readonly reader = new EslFrameReader();
  private readonly waiters: Waiter[] = [];
  private readonly eventListeners: Array<(ev: EslEventView) => void> = [];
  private readonly endListeners: Array<(why: string) => void> = [];
  private endedWith: string | undefined;

  private constructor(
    private readonly socket: Socket,
    private readonly log: Logger,
  ) {}

  /** Connects and authenticates; rejects with an error a person can act on. */
  static connect(opts: EslClientOptions): Promise<EslClient> {
    const where = `${opts.host}:${opts.port}`;
    // A line break would end the auth command early and send the rest as commands of its own.
    if (/[\r\n]/.test(opts.secret)) return Promise.reject(new DfsError('HOTLINE_E_DFS_MEDIA_SERVER', 'FREESWITCH_SECRET must not contain a line break'));
    return new Promise<EslClient>((resolve, reject) => {
      const socket = new Socket();
      const client = new EslClient(socket, opts.logger);
      let settled = false;
      const fail = (message: string): void => {
        if (settled) return;
        settled = true;
        timer.cancel();
        client.end(message);
        reject(new DfsError('HOTLINE_E_DFS_MEDIA_SERVER', message));
      };
      const timer = opts.timers.setTimer(opts.connectTimeoutMs, () => fail(`no answer from FreeSWITCH's event socket at ${where} within ${opts.connectTimeoutMs} ms`));
      // FreeSWITCH answers a wrong password with -ERR and then a disconnect notice, often in one read: the
      // end is reported after the -ERR's handler (queued first), so the error names the password.
      client.onEnd((why) => queueMicrotask(() => fail(`event socket ${where}: ${why}`)));
      client.authenticate = (frame) => {
        if (frame.contentType === 'text/rude-rejection') {
          fail(`FreeSWITCH's event-socket ACL rejected this address (${where}): check apply-inbound-acl in event_socket.conf.xml`);
          return;
        }
        if (frame.contentType !== 'auth/request') return;
        client.authenticate = undefined;
        client.command(`auth ${opts.secret}`, 'auth').then(
          () => {
            if (settled) return;
            settled = true;
            timer.cancel();
            resolve(client);
          },
          () => fail(`FreeSWITCH refused the event-socket password (${where}): check FREESWITCH_SECRET against event_socket.conf.xml`),
        );
      };
      socket.setNoDelay(true);
      socket.on('data', (chunk: Buffer) => client.onData(chunk));
      socket.on('error', (err) => client.end(describeError(err)));
      socket.on('close', () => client.end('connection closed'));
      socket.connect(opts.port, opts.host);
      // After connect(): Socket#connect puts back Socket.prototype.write over an instance's own write.
      batchWrites(socket);
    });
  }

  /** While connecting: the frames before authentication. */
  private authenticate: ((frame: EslFrame) => void) | undefined;

  get ended(): boolean {
    return this.endedWith !== undefined;
  }

  /** An API command (`api <command>`); resolves with FreeSWITCH's response body, which may say -ERR. */
  api(command: string): Promise<string> {
    return this.send(`api ${command}\n\n`, 'api', command.split(' ')[0] ?? command);
  }

  /** A command answered by command/reply; rejects when the reply is not +OK. */
  command(text: string, what = text.split(' ')[0] ?? text): Promise<string> {
    return this.send(`${text}\n\n`, 'command', what);
  }

  /**
   * A message to one channel (sendmsg). `body`, when given, goes as the message's text/plain body (an
   * execute's argument of any length).
   */
  sendmsg(uuid: string, headers: ReadonlyArray<readonly [string, string]>, body?: string): Promise<string> {
    let text = `sendmsg ${uuid}\n`;
    for (const [name, value] of headers) text += `${name}: ${value}\n`;
    if (body !== undefined) text += `content-type: text/plain\ncontent-length: ${Buffer.byteLength(body)}\n\n${body}`;
    else text += '\n';
    return this.send(text, 'command', 'sendmsg');
  }

  onEvent(fn: (ev: EslEventView) => void): void {
    this.eventListeners.push(fn);
  }

  onEnd(fn: (why: string) => void): void {
    if (this.endedWith !== undefined) fn(this.endedWith);
    else this.endListeners.push(fn);
  }

  close(): void {
    this.end('closed by us');
  }

  private send(text: string, kind: Waiter['kind'], what: string): Promise<string> {
    if (this.endedWith !== undefined) return Promise.reject(new DfsError('HOTLINE_E_DFS_MEDIA_SERVER', `FreeSWITCH event socket is closed (${what})`));
    return new Promise<string>((resolve, reject) => {
      this.waiters.push({ kind, what, resolve, reject });
      this.socket.write(text);
    });
  }

  private onData(chunk: Buffer): void {
    let frames: EslFrame[];
    try {
      frames = this.reader.push(chunk);
    } catch (err) {
      this.end(`unreadable data from FreeSWITCH: ${describeError(err)}`);
      return;
    }
    for (const frame of frames) {
      try {
        this.onFrame(frame);
      } catch (err) {
        this.log.error({ err: describeError(err), contentType: frame.contentType }, 'event-socket frame handler failed');
      }
    }
  }

  private onFrame(frame: EslFrame): void {
    switch (frame.contentType) {
      case 'text/event-plain': {
        const ev = new EslEventView(frame.body);
        for (const fn of this.eventListeners) fn(ev);
        return;
      }
      case 'command/reply': {
        const w = this.waiters.shift();
        const reply = frame.headers.get('Reply-Text') ?? '';
        if (w === undefined) this.log.warn({ reply }, 'event-socket reply nobody waited for');
        else if (reply.startsWith('+OK')) w.resolve(reply);
        else w.reject(new DfsError('HOTLINE_E_DFS_MEDIA_SERVER', `FreeSWITCH refused ${w.what}: ${reply.trim() || 'no reason given'}`));
        return;
      }
      case 'api/response': {
        const w = this.waiters.shift();
        if (w === undefined) this.log.warn('event-socket API response nobody waited for');
        else w.resolve(frame.body);
        return;
      }
      case 'text/disconnect-notice':
        this.end('FreeSWITCH is closing the connection');
        return;
      default:
        if (this.authenticate !== undefined) this.authenticate(frame);
        else this.log.debug({ contentType: frame.contentType }, 'event-socket frame ignored');
    }
  }

  private end(why: string): void {
    if (this.endedWith !== undefined) return;
    this.endedWith = why;
    this.socket.destroy();
    for (const w of this.waiters.splice(0)) w.reject(new DfsError('HOTLINE_E_DFS_MEDIA_SERVER', `FreeSWITCH event socket: ${why} (${w.what} unanswered)`));
    for (const fn of this.endListeners.splice(0)) {
      try {
        fn(why);
      } catch (err) {
        this.log.error({ err: describeError(err) }, 'event-socket end listener failed');
      }
    }
  }
}

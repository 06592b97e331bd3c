/**
 * Replays an event-socket conversation recorded from a real FreeSWITCH (fixtures/real/*.jsonl, written by
 * test/contract/record-wire.ts) to the real drachtio-modesl Connection over a fake socket.
 *
 * Each frame FreeSWITCH sent is delivered once the client has sent as many commands as it had when the frame
 * arrived in the recording, so replies and events keep their order relative to our commands. The ids the
 * client makes up anew (the Event-UUID of each `sendmsg`, which FreeSWITCH echoes as Application-UUID in
 * CHANNEL_EXECUTE_COMPLETE) are mapped from the recorded ones to the new ones in every later frame: a UUID has
 * a fixed length, so Content-Length stays right.
 */
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import path from 'node:path';

export interface WireRecord {
  t: number;
  dir: 'in' | 'out';
  data: string;
}

export function readTranscript(name: string): WireRecord[] {
  return readFileSync(path.join(import.meta.dirname, 'fixtures', 'real', name), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as WireRecord);
}

const EVENT_UUID = /^Event-UUID: (\S+)$/m;

export class ReplaySocket extends EventEmitter {
  /** Every command the client sent, whole. */
  readonly commands: string[] = [];
  private pending = '';
  private next = 0;
  private readonly idMap = new Map<string, string>();
  private readonly recordedOut: string[];

  private held: ((r: WireRecord) => boolean) | undefined;

  /** `holdAt`: frames from the first one it matches on wait for release(), whatever was sent. */
  constructor(
    private readonly transcript: readonly WireRecord[],
    holdAt?: (r: WireRecord) => boolean,
  ) {
    super();
    this.held = holdAt;
    this.recordedOut = transcript.filter((r) => r.dir === 'out').map((r) => r.data);
  }

  /** What the client writes: split into commands at the blank line that ends each one. */
  write(data: string | Buffer): boolean {
    this.pending += data.toString();
    let at: number;
    while ((at = this.pending.indexOf('\n\n')) !== -1) {
      const command = this.pending.slice(0, at + 2);
      this.pending = this.pending.slice(at + 2);
      const recorded = this.recordedOut[this.commands.length];
      const ours = EVENT_UUID.exec(command)?.[1];
      const theirs = recorded === undefined ? undefined : EVENT_UUID.exec(recorded)?.[1];
      if (ours !== undefined && theirs !== undefined) this.idMap.set(theirs, ours);
      this.commands.push(command);
    }
    setImmediate(() => this.pump());
    return true;
  }

  setKeepAlive(): this {
    return this;
  }

  end(): void {
    this.close();
  }

  destroy(): void {
    this.close();
  }

  /** FreeSWITCH closes the connection (after the channel's hang-up). */
  close(): void {
    if (this.listenerCount('close') > 0) setImmediate(() => this.emit('close', false));
  }

  /** Lets the held frames through. */
  release(): number {
    this.held = undefined;
    return this.pump();
  }

  /** Delivers the frames that were due with the commands sent so far; returns how many remain. */
  pump(): number {
    let outSoFar = this.transcript.slice(0, this.next).filter((r) => r.dir === 'out').length;
    while (this.next < this.transcript.length) {
      const r = this.transcript[this.next]!;
      if (this.held?.(r) === true) break;
      if (r.dir === 'out') {
        if (outSoFar >= this.commands.length) break; // our next command has not been sent yet
        outSoFar += 1;
      } else {
        let data = r.data;
        for (const [theirs, ours] of this.idMap) data = data.split(theirs).join(ours);
        this.emit('data', Buffer.from(data, 'utf8'));
      }
      this.next += 1;
    }
    return this.transcript.length - this.next;
  }
}

/** Test helpers: a plain-dgram far end on 127.0.0.1, sox tones, and a zero-crossing frequency estimate. */
import { execFile } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { decodeG711, encodeG711 } from '../../../src/adapters/telephony/builtin/media/g711.js';
import type { G711Codec } from '../../../src/adapters/telephony/builtin/media/media-engine.js';
import { encodeTelephoneEvent } from '../../../src/adapters/telephony/builtin/media/rfc4733.js';
import { parseRtp, serializeRtp, type RtpPacket } from '../../../src/adapters/telephony/builtin/media/rtp-packet.js';

const execFileAsync = promisify(execFile);

/** An 8 kHz mono 16-bit sine WAV made by sox. */
export async function soxTone(dir: string, hz: number, seconds: number): Promise<string> {
  const file = join(dir, `tone-${hz}-${seconds}.wav`);
  await execFileAsync('sox', ['-D', '-n', '-r', '8000', '-c', '1', '-b', '16', '-e', 'signed-integer', file, 'synth', String(seconds), 'sine', String(hz), 'vol', '0.5']);
  return file;
}

/** Frequency of a pure tone from its zero crossings. */
export function estimateHz(samples: Int16Array): number {
  let crossings = 0;
  for (let i = 1; i < samples.length; i++) {
    if ((samples[i - 1]! < 0 && samples[i]! >= 0) || (samples[i - 1]! >= 0 && samples[i]! < 0)) crossings++;
  }
  return crossings / 2 / (samples.length / 8000);
}

export function sine(hz: number, samples: number, offset = 0): Int16Array {
  return Int16Array.from({ length: samples }, (_, i) => Math.round(12000 * Math.sin((2 * Math.PI * hz * (offset + i)) / 8000)));
}

export async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!(await condition())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A far-end phone: receives and records RTP, sends audio or RFC 4733 events from its own port. */
export class FarEnd {
  readonly packets: RtpPacket[] = [];
  private socket: Socket | null = null;
  private seq = 1000;
  private ts = 50_000;
  readonly ssrc = 0x5eed0000 + Math.floor(Math.random() * 0xffff);

  static async open(): Promise<FarEnd> {
    const far = new FarEnd();
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    socket.on('message', (msg) => {
      const packet = parseRtp(msg);
      if (packet) far.packets.push({ ...packet, payload: Uint8Array.from(packet.payload) });
    });
    far.socket = socket;
    return far;
  }

  get port(): number {
    return this.socket!.address().port;
  }

  audio(payloadType = 0): RtpPacket[] {
    return this.packets.filter((p) => p.payloadType === payloadType);
  }

  decoded(codec: G711Codec, payloadType = codec === 'PCMU' ? 0 : 8): Int16Array {
    const frames = this.audio(payloadType).map((p) => decodeG711(codec, p.payload));
    const out = new Int16Array(frames.reduce((n, f) => n + f.length, 0));
    let at = 0;
    for (const f of frames) {
      out.set(f, at);
      at += f.length;
    }
    return out;
  }

  /** Sends `frames` 20 ms frames of a tone (timestamps continuous), a few ms apart. */
  async sendTone(toPort: number, codec: G711Codec, hz: number, frames: number): Promise<void> {
    for (let i = 0; i < frames; i++) {
      const payload = encodeG711(codec, sine(hz, 160, i * 160));
      this.sendRtp(toPort, { marker: i === 0, payloadType: codec === 'PCMU' ? 0 : 8, timestamp: this.ts, payload });
      this.ts = (this.ts + 160) >>> 0;
      await new Promise((r) => setTimeout(r, 2));
    }
  }

  /** One key press as phones send it: start (marker), two updates, three end packets (RFC 4733 §2.5). */
  sendDigit(toPort: number, event: number, payloadType = 101): void {
    const timestamp = this.ts;
    for (let i = 0; i < 6; i++) {
      const end = i >= 3;
      const payload = encodeTelephoneEvent({ event, end, volume: 10, durationSamples: 160 * Math.min(i + 1, 4) });
      this.sendRtp(toPort, { marker: i === 0, payloadType, timestamp, payload });
    }
    this.ts = (this.ts + 800) >>> 0;
  }

  sendRaw(toPort: number, bytes: Uint8Array): void {
    this.socket!.send(bytes, toPort, '127.0.0.1');
  }

  private sendRtp(toPort: number, p: { marker: boolean; payloadType: number; timestamp: number; payload: Uint8Array }): void {
    const bytes = serializeRtp({ ...p, sequenceNumber: this.seq, ssrc: this.ssrc });
    this.seq = (this.seq + 1) & 0xffff;
    this.socket!.send(bytes, toPort, '127.0.0.1');
  }

  async close(): Promise<void> {
    const socket = this.socket;
    this.socket = null;
    if (socket) await new Promise<void>((resolve) => socket.close(() => resolve()));
  }
}

/** A random even port range for one test file, so files can run in parallel. */
export function randomPortRange(size = 200): { portMin: number; portMax: number } {
  const portMin = 20_000 + 2 * Math.floor(Math.random() * 15_000);
  return { portMin, portMax: portMin + size };
}

/** Checks that packets are one unbroken RTP stream: one SSRC, seq +1, timestamp +160. */
export function expectContinuous(packets: RtpPacket[]): string | null {
  for (let i = 1; i < packets.length; i++) {
    const a = packets[i - 1]!;
    const b = packets[i]!;
    if (b.ssrc !== a.ssrc) return `SSRC changed at ${i}`;
    if (b.sequenceNumber !== ((a.sequenceNumber + 1) & 0xffff)) return `seq ${a.sequenceNumber} → ${b.sequenceNumber} at ${i}`;
    if (b.timestamp !== ((a.timestamp + 160) >>> 0)) return `timestamp ${a.timestamp} → ${b.timestamp} at ${i}`;
  }
  return null;
}

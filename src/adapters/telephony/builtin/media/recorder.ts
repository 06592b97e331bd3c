/**
 * Records what a session RECEIVES as an 8 kHz mono 16-bit WAV, streamed to disk: a placeholder header first,
 * samples appended in ~1 s chunks, and the header rewritten with the final sizes on close.
 *
 * Samples are placed by RTP timestamp, not arrival: a gap in the timestamps (packet loss, silence suppression,
 * a sendonly pause) becomes silence so the recording keeps real time; late or duplicate packets are dropped; a
 * new SSRC or an implausible jump (> 60 s) re-anchors without filling.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { decodeG711 } from './g711.js';
import type { G711Codec } from './media-engine.js';
import { MediaError } from './media-errors.js';
import { timestampDiff } from './rtp-packet.js';
import { wavHeaderPcm16Mono8k } from './wav.js';

const FLUSH_BYTES = 16_000; // 1 s of 16-bit audio at 8 kHz
const MAX_GAP_FILL_SAMPLES = 60 * 8000;
const HEADER_BYTES = wavHeaderPcm16Mono8k(0).length;

export class RtpRecorder {
  private readonly fileHandle: Promise<FileHandle>;
  private chain: Promise<void>;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private dataBytes = 0;
  private failure: Error | null = null;
  private closing: Promise<void> | null = null;
  private anchor: { ssrc: number; nextTs: number } | null = null;

  constructor(readonly file: string) {
    this.fileHandle = open(file, 'w');
    this.chain = this.fileHandle.then(
      (fh) => this.writeAt(fh, wavHeaderPcm16Mono8k(0), 0),
      (err: Error) => this.fail(err),
    );
  }

  /** Adds one received G.711 payload (decoded here) at its RTP timestamp. */
  write(ssrc: number, timestamp: number, codec: G711Codec, payload: Uint8Array): void {
    if (this.closing || this.failure || payload.length === 0) return;
    const anchor = this.anchor;
    if (anchor && anchor.ssrc === ssrc) {
      const gap = timestampDiff(timestamp, anchor.nextTs);
      if (gap < 0 && gap > -MAX_GAP_FILL_SAMPLES) return; // late or duplicate
      if (gap > 0 && gap <= MAX_GAP_FILL_SAMPLES) this.append(Buffer.alloc(gap * 2));
    }
    const samples = decodeG711(codec, payload);
    // Int16Array is host-endian; every platform Node supports for this is little-endian, as WAV is.
    this.append(Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength));
    this.anchor = { ssrc, nextTs: (timestamp + samples.length) >>> 0 };
  }

  /** Flushes, writes the final header, closes the file. Idempotent; rejects if any write failed. */
  close(): Promise<void> {
    this.closing ??= this.finish();
    return this.closing;
  }

  private async finish(): Promise<void> {
    this.flush();
    await this.chain;
    let fh: FileHandle | null = null;
    try {
      fh = await this.fileHandle;
    } catch {
      // reported through `failure` below
    }
    if (fh) {
      if (!this.failure) await this.writeAt(fh, wavHeaderPcm16Mono8k(this.dataBytes), 0);
      await fh.close().catch((err: Error) => this.fail(err));
    }
    if (this.failure) {
      throw new MediaError('HOTLINE_E_MEDIA_RECORDING', `${this.file}: recording failed (${this.failure.message})`);
    }
  }

  private append(bytes: Buffer): void {
    this.pending.push(bytes);
    this.pendingBytes += bytes.length;
    if (this.pendingBytes >= FLUSH_BYTES) this.flush();
  }

  private flush(): void {
    if (this.pendingBytes === 0) return;
    const chunk = Buffer.concat(this.pending, this.pendingBytes);
    const position = HEADER_BYTES + this.dataBytes;
    this.dataBytes += chunk.length;
    this.pending = [];
    this.pendingBytes = 0;
    this.chain = this.chain.then(async () => {
      if (this.failure) return;
      await this.writeAt(await this.fileHandle, chunk, position);
    });
  }

  private async writeAt(fh: FileHandle, bytes: Uint8Array, position: number): Promise<void> {
    try {
      let done = 0;
      while (done < bytes.length) {
        const { bytesWritten } = await fh.write(bytes, done, bytes.length - done, position + done);
        done += bytesWritten;
      }
    } catch (err) {
      this.fail(err as Error);
    }
  }

  private fail(err: Error): void {
    this.failure ??= err;
  }
}

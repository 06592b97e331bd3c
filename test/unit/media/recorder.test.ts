import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeG711, encodeG711 } from '../../../src/adapters/telephony/builtin/media/g711.js';
import { RtpRecorder } from '../../../src/adapters/telephony/builtin/media/recorder.js';
import { decodeWavPrompt } from '../../../src/adapters/telephony/builtin/media/wav.js';

const frame = (value: number) => encodeG711('PCMU', new Int16Array(160).fill(value));
const level = (value: number) => decodeG711('PCMU', frame(value))[0]!;

describe('RtpRecorder', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hotline-rec-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes received audio by timestamp: gaps become silence, late and duplicate packets are dropped', async () => {
    const file = join(dir, 'a.wav');
    const rec = new RtpRecorder(file);
    rec.write(1, 1000, 'PCMU', frame(1000));
    rec.write(1, 1160, 'PCMU', frame(2000));
    rec.write(1, 1160, 'PCMU', frame(9000)); // duplicate
    rec.write(1, 1640, 'PCMU', frame(3000)); // two frames lost before this one
    rec.write(1, 1480, 'PCMU', frame(9000)); // late
    await rec.close();
    const samples = decodeWavPrompt(await readFile(file), file);
    expect(samples.length).toBe(160 * 5);
    expect(samples[0]).toBe(level(1000));
    expect(samples[160]).toBe(level(2000));
    expect(samples.subarray(320, 640).every((s) => s === 0)).toBe(true);
    expect(samples[640]).toBe(level(3000));
  });

  it('re-anchors on a new SSRC without filling, and decodes PCMA too', async () => {
    const file = join(dir, 'b.wav');
    const rec = new RtpRecorder(file);
    rec.write(1, 1000, 'PCMU', frame(1000));
    rec.write(2, 900_000, 'PCMA', encodeG711('PCMA', new Int16Array(160).fill(-500)));
    await rec.close();
    const samples = decodeWavPrompt(await readFile(file), file);
    expect(samples.length).toBe(320);
    expect(samples[200]).toBe(decodeG711('PCMA', encodeG711('PCMA', Int16Array.of(-500)))[0]);
  });

  it('streams long recordings in chunks and produces a valid header', async () => {
    const file = join(dir, 'c.wav');
    const rec = new RtpRecorder(file);
    for (let i = 0; i < 500; i++) rec.write(7, i * 160, 'PCMU', frame(i));
    await rec.close();
    await rec.close(); // idempotent
    const bytes = await readFile(file);
    expect(bytes.length).toBe(44 + 500 * 160 * 2);
    expect(decodeWavPrompt(bytes, file)[499 * 160]).toBe(level(499));
  });

  it('an empty recording is still a valid WAV', async () => {
    const file = join(dir, 'd.wav');
    await new RtpRecorder(file).close();
    expect(decodeWavPrompt(await readFile(file), file).length).toBe(0);
  });

  it('reports a file it cannot create', async () => {
    const rec = new RtpRecorder(join(dir, 'no-such-dir', 'x.wav'));
    rec.write(1, 0, 'PCMU', frame(1));
    await expect(rec.close()).rejects.toThrow(/no-such-dir\/x\.wav: recording failed/);
  });
});

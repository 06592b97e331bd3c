import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import wavefile from 'wavefile';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeG711 } from '../../../src/adapters/telephony/builtin/media/g711.js';
import { MediaError } from '../../../src/adapters/telephony/builtin/media/media-errors.js';
import { decodeWavPrompt, encodeWavPcm16Mono8k, PromptCache, wavHeaderPcm16Mono8k } from '../../../src/adapters/telephony/builtin/media/wav.js';

const ramp = Int16Array.from({ length: 400 }, (_, i) => (i - 200) * 100);

function wavOf(channels: number, rateHz: number, bitDepth: string, samples: number[] | Int16Array): Uint8Array {
  const wav = new wavefile.WaveFile();
  wav.fromScratch(channels, rateHz, bitDepth, samples);
  return wav.toBuffer();
}

describe('decodeWavPrompt', () => {
  it('reads 8 kHz mono 16-bit PCM exactly', () => {
    expect([...decodeWavPrompt(encodeWavPcm16Mono8k(ramp), 'ramp.wav')]).toEqual([...ramp]);
  });

  it.each([
    ['A-law', 'PCMA', (w: InstanceType<typeof wavefile.WaveFile>) => w.toALaw()],
    ['mu-law', 'PCMU', (w: InstanceType<typeof wavefile.WaveFile>) => w.toMuLaw()],
  ] as const)('reads 8 kHz mono G.711 %s', (_name, codec, convert) => {
    const wav = new wavefile.WaveFile(encodeWavPcm16Mono8k(ramp));
    convert(wav);
    const bytes = wav.toBuffer();
    const encoded = (wav.data as { samples: Uint8Array }).samples;
    expect([...decodeWavPrompt(bytes, 'g711.wav')]).toEqual([...decodeG711(codec, encoded)]);
  });

  it.each([
    ['44.1 kHz stereo', wavOf(2, 44100, '16', [[1, 2], [3, 4]] as unknown as number[]), /music\.wav: unsupported WAV format \(44100 Hz 2 channels 16-bit PCM\)/],
    ['16 kHz mono', wavOf(1, 16000, '16', [1, 2, 3]), /music\.wav: .*16000 Hz mono 16-bit PCM/],
    ['8 kHz 8-bit PCM', wavOf(1, 8000, '8', [1, 2, 3]), /8000 Hz mono 8-bit PCM/],
    ['8 kHz 32-bit float', wavOf(1, 8000, '32f', [0.1, 0.2]), /IEEE float/],
  ])('refuses %s with a message naming the file and format', (_name, bytes, message) => {
    expect(() => decodeWavPrompt(bytes, 'music.wav')).toThrow(message);
    try {
      decodeWavPrompt(bytes, 'music.wav');
    } catch (err) {
      expect(err).toBeInstanceOf(MediaError);
      expect((err as MediaError).code).toBe('HOTLINE_E_MEDIA_WAV_FORMAT');
    }
  });

  it('refuses bytes that are not a WAV file', () => {
    expect(() => decodeWavPrompt(new TextEncoder().encode('hello, not a wav'), 'x.wav')).toThrow(/x\.wav: not a readable WAV file/);
  });
});

describe('PromptCache', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hotline-wav-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('caches decoded samples per path and reloads when the mtime changes', async () => {
    const file = join(dir, 'p.wav');
    await writeFile(file, encodeWavPcm16Mono8k(Int16Array.of(1, 2, 3)));
    await utimes(file, 1_000, 1_000);
    const cache = new PromptCache();
    const first = await cache.load(file);
    expect([...first.samples]).toEqual([1, 2, 3]);
    expect(await cache.load(file)).toBe(first);

    await writeFile(file, encodeWavPcm16Mono8k(Int16Array.of(7, 8, 9)));
    await utimes(file, 2_000, 2_000);
    const second = await cache.load(file);
    expect(second).not.toBe(first);
    expect([...second.samples]).toEqual([7, 8, 9]);
  });

  it('shares one read between concurrent loads', async () => {
    const file = join(dir, 'c.wav');
    await writeFile(file, encodeWavPcm16Mono8k(ramp));
    const cache = new PromptCache();
    const [a, b] = await Promise.all([cache.load(file), cache.load(file)]);
    expect(a).toBe(b);
  });

  it('reports a missing file clearly and does not cache the failure', async () => {
    const cache = new PromptCache();
    const file = join(dir, 'missing.wav');
    await expect(cache.load(file)).rejects.toThrow(/missing\.wav: cannot read prompt/);
    await writeFile(file, encodeWavPcm16Mono8k(Int16Array.of(5)));
    expect([...(await cache.load(file)).samples]).toEqual([5]);
  });

  it('reports a bad format with the path', async () => {
    const file = join(dir, 'stereo.wav');
    await writeFile(file, wavOf(2, 8000, '16', [[1], [2]] as unknown as number[]));
    await expect(new PromptCache().load(file)).rejects.toThrow(/stereo\.wav: unsupported WAV format \(8000 Hz 2 channels/);
  });

  it('evicts least recently used prompts beyond its sample budget', async () => {
    const cache = new PromptCache({ maxSamples: 500 });
    for (const name of ['e1', 'e2', 'e3']) {
      const file = join(dir, `${name}.wav`);
      await writeFile(file, encodeWavPcm16Mono8k(ramp)); // 400 samples each
      await cache.load(file);
    }
    expect(cache.size).toBe(1);
  });

  it('encodes a prompt once per codec', async () => {
    const file = join(dir, 'enc.wav');
    await writeFile(file, encodeWavPcm16Mono8k(ramp));
    const prompt = await new PromptCache().load(file);
    expect(prompt.encoded('PCMU')).toBe(prompt.encoded('PCMU'));
    expect(prompt.encoded('PCMA').length).toBe(ramp.length);
  });
});

describe('wavHeaderPcm16Mono8k', () => {
  it('describes 8 kHz mono 16-bit PCM with the given data size', () => {
    const header = wavHeaderPcm16Mono8k(3200);
    expect(header.length).toBe(44);
    const full = new Uint8Array(44 + 3200);
    full.set(header);
    const wav = new wavefile.WaveFile(full);
    expect(wav.fmt).toMatchObject({ audioFormat: 1, numChannels: 1, sampleRate: 8000, bitsPerSample: 16 });
    expect(decodeWavPrompt(full, 'rec.wav').length).toBe(1600);
    const view = new DataView(header.buffer, header.byteOffset);
    expect(view.getUint32(4, true)).toBe(36 + 3200);
  });
});

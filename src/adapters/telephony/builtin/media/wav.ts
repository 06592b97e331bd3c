/**
 * WAV prompts in, WAV recordings out (via `wavefile`).
 *
 * Prompts must be 8 kHz mono: 16-bit PCM (what scripts/make-prompts.sh writes), or 8-bit G.711 A-law/µ-law.
 * Anything else is refused with an error naming the file and its format rather than resampled behind the
 * operator's back. Decoded prompts are cached per path and reloaded when the file's mtime or size changes, so
 * a prompt edited on disk is heard on the next play without a restart.
 */
import { readFile, stat } from 'node:fs/promises';
import wavefile from 'wavefile';
import { decodeG711, encodeG711, G711_SAMPLE_RATE_HZ } from './g711.js';
import type { G711Codec } from './media-engine.js';
import { MediaError } from './media-errors.js';

const WAVE_FORMAT_PCM = 1;
const WAVE_FORMAT_ALAW = 6;
const WAVE_FORMAT_MULAW = 7;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

/** The parts of wavefile's untyped `fmt` chunk we read. */
interface FmtChunk {
  audioFormat: number;
  numChannels: number;
  sampleRate: number;
  bitsPerSample: number;
  subformat: number[];
}

const FORMAT_NAMES: Record<number, string> = {
  [WAVE_FORMAT_PCM]: 'PCM',
  [WAVE_FORMAT_ALAW]: 'A-law',
  [WAVE_FORMAT_MULAW]: 'mu-law',
  3: 'IEEE float',
  17: 'IMA ADPCM',
};

function describeFormat(fmt: FmtChunk, format: number): string {
  const name = FORMAT_NAMES[format] ?? `format 0x${format.toString(16)}`;
  const channels = fmt.numChannels === 1 ? 'mono' : `${fmt.numChannels} channels`;
  return `${fmt.sampleRate} Hz ${channels} ${fmt.bitsPerSample}-bit ${name}`;
}

/** Decodes a WAV file's bytes to 8 kHz 16-bit samples; `file` only names it in errors. */
export function decodeWavPrompt(bytes: Uint8Array, file: string): Int16Array {
  let wav: InstanceType<typeof wavefile.WaveFile>;
  try {
    wav = new wavefile.WaveFile(bytes);
  } catch (err) {
    throw new MediaError('HOTLINE_E_MEDIA_WAV_FORMAT', `${file}: not a readable WAV file (${(err as Error).message})`);
  }
  const fmt = wav.fmt as FmtChunk;
  const format =
    fmt.audioFormat === WAVE_FORMAT_EXTENSIBLE ? (fmt.subformat[0] ?? fmt.audioFormat) : fmt.audioFormat;
  const isPcm16 = format === WAVE_FORMAT_PCM && fmt.bitsPerSample === 16;
  const isG711 = (format === WAVE_FORMAT_ALAW || format === WAVE_FORMAT_MULAW) && fmt.bitsPerSample === 8;
  if (fmt.sampleRate !== G711_SAMPLE_RATE_HZ || fmt.numChannels !== 1 || !(isPcm16 || isG711)) {
    throw new MediaError(
      'HOTLINE_E_MEDIA_WAV_FORMAT',
      `${file}: unsupported WAV format (${describeFormat(fmt, format)}); expected 8000 Hz mono 16-bit PCM ` +
        `or 8-bit G.711 A-law/mu-law (convert with: sox in.wav -r 8000 -c 1 -b 16 -e signed out.wav)`,
    );
  }
  if (isPcm16) return wav.getSamples(false, Int16Array) as unknown as Int16Array;
  const encoded = (wav.data as { samples: Uint8Array }).samples;
  return decodeG711(format === WAVE_FORMAT_ALAW ? 'PCMA' : 'PCMU', encoded);
}

/** A decoded prompt, with its G.711 encodings made once on first use (every session then sends slices of them). */
export class Prompt {
  private readonly encodedByCodec: Partial<Record<G711Codec, Uint8Array>> = {};

  constructor(
    readonly file: string,
    readonly samples: Int16Array,
  ) {}

  encoded(codec: G711Codec): Uint8Array {
    let bytes = this.encodedByCodec[codec];
    if (!bytes) {
      bytes = encodeG711(codec, this.samples);
      this.encodedByCodec[codec] = bytes;
    }
    return bytes;
  }
}

interface CacheEntry {
  mtimeMs: number;
  sizeBytes: number;
  prompt: Promise<Prompt>;
  /** Samples counted in the cache total once decoded. */
  countedSamples: number;
}

export interface PromptCacheOptions {
  /** Evicts least-recently-used prompts beyond this many decoded samples (default 64 Mi samples ≈ 2.3 h). */
  maxSamples?: number;
}

/** Loads prompts, caching by path; a changed mtime or size means the file is read again. */
export class PromptCache {
  private readonly entries = new Map<string, CacheEntry>();
  private readonly maxSamples: number;
  private cachedSamples = 0;

  constructor(options: PromptCacheOptions = {}) {
    this.maxSamples = options.maxSamples ?? 64 * 1024 * 1024;
  }

  async load(file: string): Promise<Prompt> {
    let info;
    try {
      info = await stat(file);
    } catch (err) {
      throw new MediaError('HOTLINE_E_MEDIA_WAV_READ', `${file}: cannot read prompt (${(err as Error).message})`);
    }
    const cached = this.entries.get(file);
    if (cached && cached.mtimeMs === info.mtimeMs && cached.sizeBytes === info.size) {
      // Re-insert to mark as most recently used (Map keeps insertion order).
      this.entries.delete(file);
      this.entries.set(file, cached);
      return cached.prompt;
    }
    if (cached) this.forget(file);
    const prompt = this.read(file);
    const entry: CacheEntry = { mtimeMs: info.mtimeMs, sizeBytes: info.size, prompt, countedSamples: 0 };
    this.entries.set(file, entry);
    prompt.then(
      (p) => {
        if (this.entries.get(file) !== entry) return;
        entry.countedSamples = p.samples.length;
        this.cachedSamples += entry.countedSamples;
        this.evict();
      },
      () => {
        // A failed read is not cached: the operator may fix the file and try again.
        if (this.entries.get(file) === entry) this.entries.delete(file);
      },
    );
    return prompt;
  }

  /** Number of prompts currently cached (decoded or being decoded). */
  get size(): number {
    return this.entries.size;
  }

  private async read(file: string): Promise<Prompt> {
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch (err) {
      throw new MediaError('HOTLINE_E_MEDIA_WAV_READ', `${file}: cannot read prompt (${(err as Error).message})`);
    }
    return new Prompt(file, decodeWavPrompt(bytes, file));
  }

  private forget(file: string): void {
    const entry = this.entries.get(file);
    if (!entry) return;
    this.entries.delete(file);
    this.cachedSamples -= entry.countedSamples;
  }

  private evict(): void {
    for (const file of this.entries.keys()) {
      if (this.cachedSamples <= this.maxSamples || this.entries.size <= 1) return;
      this.forget(file);
    }
  }
}

/**
 * A 44-byte RIFF header for 8 kHz mono 16-bit PCM holding `dataBytes` of samples. Recordings are streamed to disk
 * with a placeholder header that is rewritten with the final sizes when the recording ends.
 */
export function wavHeaderPcm16Mono8k(dataBytes: number): Uint8Array {
  const wav = new wavefile.WaveFile();
  wav.fromScratch(1, G711_SAMPLE_RATE_HZ, '16', new Int16Array(0));
  const header = wav.toBuffer();
  const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
  const dataChunkAt = findChunk(header, 'data');
  // RIFF chunk size = everything after its 8-byte chunk header (RIFF/WAVE spec).
  view.setUint32(4, header.length - 8 + dataBytes, true);
  view.setUint32(dataChunkAt + 4, dataBytes, true);
  return header;
}

function findChunk(header: Uint8Array, id: string): number {
  const wanted = Buffer.from(id, 'latin1');
  const at = Buffer.from(header.buffer, header.byteOffset, header.byteLength).indexOf(wanted, 12);
  if (at < 0) throw new Error(`wavefile header has no '${id}' chunk`);
  return at;
}

/** Encodes samples as a complete 8 kHz mono 16-bit WAV file (small files: tests, tools). */
export function encodeWavPcm16Mono8k(samples: Int16Array): Uint8Array {
  const wav = new wavefile.WaveFile();
  wav.fromScratch(1, G711_SAMPLE_RATE_HZ, '16', samples);
  return wav.toBuffer();
}

import { describe, expect, it } from 'vitest';
import {
  codecOfStaticPayloadType,
  decodeG711,
  encodeG711,
  G711_SILENCE,
  staticPayloadType,
  transcodeG711,
} from '../../../src/adapters/telephony/builtin/media/g711.js';

function sine(hz: number, samples: number, amplitude = 12000): Int16Array {
  return Int16Array.from({ length: samples }, (_, i) => Math.round(amplitude * Math.sin((2 * Math.PI * hz * i) / 8000)));
}

describe('G.711', () => {
  it.each(['PCMU', 'PCMA'] as const)('%s round trip stays within the law quantization error', (codec) => {
    const input = sine(440, 800);
    const output = decodeG711(codec, encodeG711(codec, input));
    expect(output.length).toBe(input.length);
    for (let i = 0; i < input.length; i++) {
      // Companding keeps the relative error around 1/16 (+ a small absolute floor near zero).
      expect(Math.abs(output[i]! - input[i]!)).toBeLessThanOrEqual(Math.abs(input[i]!) / 16 + 40);
    }
  });

  it('silence bytes decode to (near) zero', () => {
    expect(Math.abs(decodeG711('PCMU', Uint8Array.of(G711_SILENCE.PCMU))[0]!)).toBeLessThanOrEqual(8);
    expect(Math.abs(decodeG711('PCMA', Uint8Array.of(G711_SILENCE.PCMA))[0]!)).toBeLessThanOrEqual(8);
    expect(G711_SILENCE.PCMU).toBe(0xff);
    expect(G711_SILENCE.PCMA).toBe(0xd5);
  });

  it('transcodes PCMU<->PCMA preserving the waveform', () => {
    const input = sine(1000, 160);
    const mu = encodeG711('PCMU', input);
    const a = transcodeG711('PCMU', 'PCMA', mu);
    expect(a).not.toBe(mu);
    const back = decodeG711('PCMA', a);
    for (let i = 0; i < input.length; i++) expect(Math.abs(back[i]! - input[i]!)).toBeLessThanOrEqual(Math.abs(input[i]!) / 8 + 64);
    const mu2 = transcodeG711('PCMA', 'PCMU', a);
    expect(decodeG711('PCMU', mu2).length).toBe(160);
  });

  it('returns the same bytes when no transcoding is needed', () => {
    const bytes = Uint8Array.of(1, 2, 3);
    expect(transcodeG711('PCMA', 'PCMA', bytes)).toBe(bytes);
  });

  it('maps static payload types', () => {
    expect(staticPayloadType('PCMU')).toBe(0);
    expect(staticPayloadType('PCMA')).toBe(8);
    expect(codecOfStaticPayloadType(0)).toBe('PCMU');
    expect(codecOfStaticPayloadType(8)).toBe('PCMA');
    expect(codecOfStaticPayloadType(13)).toBeNull();
  });
});

import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allAnnouncementPrompts, ewtPrompts, numberPrompts, positionPrompts, promptFor } from '../../../src/domain/acd/announcements.js';
import { decodeWavPrompt } from '../../../src/adapters/telephony/builtin/media/wav.js';

const PROMPTS = join(import.meta.dirname, '../../../prompts');

describe('announcement composition', () => {
  it('numbers from fragments: whole words to 20 and the tens, then ten + unit', () => {
    expect(numberPrompts('zh', 2)).toEqual(['acd/zh/num/n2.wav']);
    expect(numberPrompts('zh', 22)).toEqual(['acd/zh/num/n20.wav', 'acd/zh/num/d2.wav']);
    expect(numberPrompts('en', 47)).toEqual(['acd/en/num/n40.wav', 'acd/en/num/n7.wav']);
    expect(numberPrompts('en', 90)).toEqual(['acd/en/num/n90.wav']);
    expect(() => numberPrompts('en', 100)).toThrow(RangeError);
  });

  it('position: next, one ahead, N ahead ("您前面还有N位"), many', () => {
    expect(positionPrompts('zh', 1)).toEqual(['acd/zh/you-are-next.wav']);
    expect(positionPrompts('zh', 2)).toEqual(['acd/zh/ahead-one.wav']);
    expect(positionPrompts('zh', 6)).toEqual(['acd/zh/ahead-before.wav', 'acd/zh/num/n5.wav', 'acd/zh/ahead-after.wav']);
    expect(positionPrompts('en', 200)).toEqual(['acd/en/ahead-many.wav']);
  });

  it('EWT in whole minutes, rounded up', () => {
    expect(ewtPrompts('zh', 45)).toEqual(['acd/zh/ewt-under-minute.wav']);
    expect(ewtPrompts('zh', 61)).toEqual(['acd/zh/ewt-before.wav', 'acd/zh/num/n2.wav', 'acd/zh/ewt-after.wav']);
    expect(ewtPrompts('en', 100 * 60)).toEqual(['acd/en/ewt-long.wav']);
  });

  it('{lang} in configured prompts; an unknown language falls back to Mandarin', () => {
    expect(promptFor('acd/{lang}/comfort.wav', 'en')).toBe('acd/en/comfort.wav');
    expect(promptFor('acd/{lang}/comfort.wav', 'fr')).toBe('acd/zh/comfort.wav');
    expect(positionPrompts('fr', 1)).toEqual(['acd/zh/you-are-next.wav']);
  });
});

describe('shipped ACD prompts (scripts/make-acd-prompts.sh)', () => {
  it('every fragment the announcements use exists, 8 kHz mono 16-bit, with a transcript', async () => {
    const transcripts = JSON.parse(await readFile(join(PROMPTS, 'acd/transcripts.json'), 'utf8')) as Record<string, string>;
    expect(transcripts['acd/zh/ahead-before.wav']).toBe('您前面还有');
    for (const lang of ['zh', 'en']) {
      for (const rel of allAnnouncementPrompts(lang)) {
        const file = join(PROMPTS, rel);
        expect((await stat(file)).isFile(), rel).toBe(true);
        expect(transcripts[rel], rel).toBeTruthy();
        const samples = decodeWavPrompt(await readFile(file), file);
        expect(samples.length / 8000, rel).toBeGreaterThan(0.15);
        expect(samples.length / 8000, rel).toBeLessThan(12);
      }
    }
  });
});

import { readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeWavPrompt } from '../../../src/adapters/telephony/builtin/media/wav.js';

const PROMPTS_DIR = join(import.meta.dirname, '../../../prompts');
// Every row of the script's PROMPTS and BILINGUAL tables ("name|Mandarin|English").
const NAMES = readFileSync(join(import.meta.dirname, '../../../scripts/make-prompts.sh'), 'utf8')
  .split('\n')
  .map((l) => /^\s*"([a-z0-9-]+)\|/.exec(l)?.[1])
  .filter((n): n is string => n !== undefined);

describe('shipped prompts (scripts/make-prompts.sh)', () => {
  it('has every prompt in zh and en with a transcript', async () => {
    const transcripts = JSON.parse(await readFile(join(PROMPTS_DIR, 'transcripts.json'), 'utf8')) as Record<string, string>;
    const expected = NAMES.flatMap((n) => [`zh/${n}.wav`, `en/${n}.wav`]).sort();
    expect(Object.keys(transcripts).sort()).toEqual(expected);
    expect(transcripts['zh/welcome.wav']).toBe('您好，欢迎致电示例公司400服务热线。');
    expect(transcripts['en/main-menu.wav']).toBe('For sales, press 1. For support, press 2.');
    for (const lang of ['zh', 'en']) {
      expect((await readdir(join(PROMPTS_DIR, lang))).sort()).toEqual(NAMES.map((n) => `${n}.wav`).sort());
    }
  });

  it('are 8 kHz mono 16-bit speech of a plausible length', async () => {
    for (const lang of ['zh', 'en']) {
      for (const name of NAMES) {
        const file = join(PROMPTS_DIR, lang, `${name}.wav`);
        const samples = decodeWavPrompt(await readFile(file), file);
        const seconds = samples.length / 8000;
        expect(seconds, file).toBeGreaterThan(1);
        expect(seconds, file).toBeLessThan(20); // the longest: the full main menu and the opening hours, ~15 s
        expect(samples.some((s) => Math.abs(s) > 8000), file).toBe(true);
      }
    }
  });

  it('ships a 20-30 s music-on-hold loop', async () => {
    const file = join(PROMPTS_DIR, 'moh', 'default.wav');
    const seconds = decodeWavPrompt(await readFile(file), file).length / 8000;
    expect(seconds).toBeGreaterThanOrEqual(20);
    expect(seconds).toBeLessThanOrEqual(30);
  });
});

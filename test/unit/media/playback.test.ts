import { describe, expect, it } from 'vitest';
import { decodeG711, G711_SILENCE } from '../../../src/adapters/telephony/builtin/media/g711.js';
import { Player } from '../../../src/adapters/telephony/builtin/media/playback.js';
import { Prompt } from '../../../src/adapters/telephony/builtin/media/wav.js';

const prompt = (name: string, length: number, start = 0) =>
  new Prompt(name, Int16Array.from({ length }, (_, i) => (start + i) * 16));

function frames(player: Player, max = 100): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < max; i++) {
    const frame = new Uint8Array(12 + 160);
    if (!player.nextFrame('PCMA', frame, 12)) break;
    out.push(frame.subarray(12));
  }
  return out;
}

describe('Player', () => {
  it('cuts prompts into 160-sample frames across file boundaries and pads the last one', () => {
    const a = prompt('a', 250);
    const b = prompt('b', 100, 250);
    const out = frames(new Player([a, b], false, false));
    expect(out).toHaveLength(3); // 350 samples → 160 + 160 + 30
    const joined = new Uint8Array(480);
    out.forEach((f, i) => joined.set(f, i * 160));
    expect([...joined.subarray(0, 250)]).toEqual([...a.encoded('PCMA')]);
    expect([...joined.subarray(250, 350)]).toEqual([...b.encoded('PCMA')]);
    expect(joined.subarray(350).every((x) => x === G711_SILENCE.PCMA)).toBe(true);
    expect(Math.abs(decodeG711('PCMA', joined.subarray(160, 161))[0]! - 160 * 16)).toBeLessThan(160 * 16 / 16);
  });

  it('loops forever when asked', () => {
    const out = frames(new Player([prompt('a', 100)], true, false), 50);
    expect(out).toHaveLength(50);
    // 100-sample loop: frame 1 starts 60 samples into the prompt.
    expect([...out[1]!.subarray(0, 40)]).toEqual([...prompt('a', 100).encoded('PCMA').subarray(60, 100)]);
  });

  it('finishes at once with nothing to play, even when looping', () => {
    expect(frames(new Player([], false, false))).toHaveLength(0);
    expect(frames(new Player([prompt('empty', 0)], true, false))).toHaveLength(0);
  });
});

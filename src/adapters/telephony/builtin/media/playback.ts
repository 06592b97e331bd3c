/**
 * Walks a list of prompts 160 samples (one 20 ms frame) at a time, crossing from one prompt into the next
 * without a gap, optionally looping (music on hold). Frames are sliced from each prompt's pre-encoded G.711
 * bytes, so playing costs a copy per packet, not an encode.
 */
import { G711_SILENCE } from './g711.js';
import type { G711Codec } from './media-engine.js';
import { SAMPLES_PER_FRAME } from './rtp-stream.js';
import type { Prompt } from './wav.js';

export class Player {
  private fileIndex = 0;
  private position = 0;
  private readonly totalSamples: number;
  private finished = false;

  constructor(
    private readonly prompts: readonly Prompt[],
    readonly loop: boolean,
    readonly bargeIn: boolean,
  ) {
    this.totalSamples = prompts.reduce((sum, p) => sum + p.samples.length, 0);
    // Nothing to play (or to loop) is finished at once rather than spinning.
    if (this.totalSamples === 0) this.finished = true;
  }

  /**
   * Writes the next frame, encoded with `codec`, into `out` at `offset` (SAMPLES_PER_FRAME bytes). Returns false,
   * writing nothing, once the prompts are exhausted; the last partial frame is padded with silence.
   */
  nextFrame(codec: G711Codec, out: Uint8Array, offset: number): boolean {
    if (this.finished) return false;
    let written = 0;
    while (written < SAMPLES_PER_FRAME) {
      const prompt = this.prompts[this.fileIndex];
      if (!prompt) {
        if (this.loop) {
          this.fileIndex = 0;
          this.position = 0;
          continue;
        }
        break;
      }
      const take = Math.min(SAMPLES_PER_FRAME - written, prompt.samples.length - this.position);
      if (take > 0) {
        out.set(prompt.encoded(codec).subarray(this.position, this.position + take), offset + written);
        written += take;
        this.position += take;
      }
      if (this.position >= prompt.samples.length) {
        this.fileIndex++;
        this.position = 0;
      }
    }
    if (written === 0) {
      this.finished = true;
      return false;
    }
    out.fill(G711_SILENCE[codec], offset + written, offset + SAMPLES_PER_FRAME);
    return true;
  }
}

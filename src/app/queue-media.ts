/**
 * What a queued caller hears, carried out on its leg: music on hold (per queue), announcements over it (then
 * the music again), and the last words before it leaves the queue (a hang-up, a flow node, virtual hold).
 */
import path from 'node:path';
import type { Logger } from 'pino';
import type { CallLeg } from '../ports/call-control.js';
import type { CallRecords } from './call-records.js';

export interface QueueMediaDeps {
  logger: Logger;
  calls: CallRecords;
  promptsDir: string;
  /** The leg the caller is on now: its inbound leg, or the callback leg once called back. */
  legOf(callId: string): CallLeg | undefined;
  /** Hands a call back to its IVR flow at a node; false when that cannot be done. */
  exitToFlow?: (callId: string, node: string) => boolean;
}

export class QueueMedia {
  private readonly moh = new Map<string, string>();
  private readonly playing = new Map<string, number>();
  private seq = 0;

  constructor(private readonly deps: QueueMediaDeps) {}

  private abs(file: string): string {
    return path.resolve(this.deps.promptsDir, file);
  }

  music(callId: string, file: string): void {
    this.moh.set(callId, file);
    if (this.playing.has(callId)) return; // the announcement playing now restarts the music when it ends
    this.deps.legOf(callId)?.startMusicOnHold(this.abs(file));
  }

  /** Plays over the music; the music resumes after, if the caller is still queued and nothing newer played. */
  announce(callId: string, files: readonly string[]): void {
    const leg = this.deps.legOf(callId);
    if (!leg || leg.ended || files.length === 0) return;
    const token = ++this.seq;
    this.playing.set(callId, token);
    leg
      .play(files.map((f) => this.abs(f)))
      .then(() => {
        if (this.playing.get(callId) !== token) return;
        this.playing.delete(callId);
        const moh = this.moh.get(callId);
        if (moh && !leg.ended && this.deps.calls.get(callId)?.stage === 'queued') leg.startMusicOnHold(this.abs(moh));
      })
      .catch((err: unknown) => this.deps.logger.warn({ err, callId, files }, 'announcement failed'));
  }

  /** The caller leaves the queue's media. */
  leave(callId: string, how: 'hangup' | 'flow' | 'callback-hold', files: readonly string[], detail: { cause?: string; node?: string }): void {
    this.forget(callId);
    const rec = this.deps.calls.get(callId);
    const leg = this.deps.legOf(callId);
    const log = this.deps.logger.child({ callId });
    if (how === 'hangup') {
      const cause = detail.cause ?? 'queue-exit';
      this.deps.calls.finish(callId, 'system', cause);
      if (leg) this.thenHangup(leg, files, cause, log);
      return;
    }
    if (how === 'callback-hold') {
      if (rec) rec.stage = 'callback';
      if (leg) this.thenHangup(leg, files, 'callback-requested', log);
      return;
    }
    if (rec) rec.stage = 'flow';
    const node = detail.node ?? '';
    leg?.stopMedia();
    const resume = (): void => {
      if (leg?.ended) return;
      if (this.deps.exitToFlow?.(callId, node)) return;
      log.warn({ node }, 'queue exit to a flow node, but no flow can take the call back: hanging up');
      this.deps.calls.finish(callId, 'system', `queue-exit-${node}`);
      leg?.hangup(`queue-exit-${node}`).catch(() => undefined);
    };
    if (leg && files.length > 0) {
      leg
        .play(files.map((f) => this.abs(f)))
        .then(resume)
        .catch((err: unknown) => log.warn({ err }, 'exit prompt failed'));
    } else resume();
  }

  forget(callId: string): void {
    this.moh.delete(callId);
    this.playing.delete(callId);
  }

  private thenHangup(leg: CallLeg, files: readonly string[], cause: string, log: Logger): void {
    const hangup = (): void => void leg.hangup(cause).catch((err: unknown) => log.warn({ err }, 'hang-up failed'));
    if (files.length === 0 || leg.ended) return hangup();
    leg
      .play(files.map((f) => this.abs(f)))
      .then(hangup)
      .catch((err: unknown) => {
        log.warn({ err }, 'last prompt failed');
        hangup();
      });
  }
}

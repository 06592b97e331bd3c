/**
 * Voicemail recordings of flow `voicemail` nodes: `<dataDir>/voicemail/<mailbox>/<YYYY-MM-DD>/<callId>-<n>.wav`
 * (UTC date, like the event log's day files), recorded by the call leg. A recording ends on `record-stop`,
 * on a cancel, or with the call; each ends with one voicemail.recorded event.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import type { CallLeg } from '../ports/call-control.js';
import type { Clock } from '../ports/clock.js';
import type { Emit } from './events.js';

export interface RecordingInfo {
  readonly callId: string;
  readonly nodeId: string;
  readonly mailbox: string;
  /** Caller number, recorded in the event. */
  readonly from: string;
}

export class VoicemailRecording {
  private finished = false;

  constructor(
    private readonly deps: { clock: Clock; emit: Emit; log: Logger; dataDir: string },
    private readonly leg: CallLeg,
    readonly info: RecordingInfo,
    /** Absolute path of the WAV file. */
    readonly file: string,
    private readonly startedMs: number,
  ) {}

  /**
   * Ends the recording (idempotent) and emits voicemail.recorded once. On an ended leg there is nothing to
   * stop, and the event is emitted before this returns.
   */
  async finish(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    if (!this.leg.ended) {
      try {
        await this.leg.stopRecording();
      } catch (err) {
        this.deps.log.warn({ err, file: this.file }, 'stopping the recording failed');
      }
    }
    const durationMs = this.deps.clock.nowMs() - this.startedMs;
    const { callId, nodeId, mailbox, from } = this.info;
    this.deps.emit({ type: 'voicemail.recorded', callId, nodeId, mailbox, from, file: path.relative(this.deps.dataDir, this.file), durationMs });
    this.deps.log.info({ mailbox, file: this.file, durationMs }, 'voicemail recorded');
  }
}

export class VoicemailRecorder {
  private seq = 0;

  constructor(private readonly deps: { clock: Clock; emit: Emit; log: Logger; dataDir: string }) {}

  /** Creates the mailbox folder and starts recording what the caller says; undefined if the call ended meanwhile. */
  async start(leg: CallLeg, info: RecordingInfo, log: Logger): Promise<VoicemailRecording | undefined> {
    const day = new Date(this.deps.clock.nowMs()).toISOString().slice(0, 10);
    const dir = path.join(this.deps.dataDir, 'voicemail', info.mailbox, day);
    await mkdir(dir, { recursive: true });
    if (leg.ended) return undefined;
    const file = path.join(dir, `${info.callId}-${++this.seq}.wav`);
    leg.startRecording(file);
    log.info({ mailbox: info.mailbox, file }, 'recording voicemail');
    return new VoicemailRecording({ ...this.deps, log }, leg, info, file, this.deps.clock.nowMs());
  }
}

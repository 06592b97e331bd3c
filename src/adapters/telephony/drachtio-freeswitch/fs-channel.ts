/**
 * One FreeSWITCH channel (a drachtio-fsmrf Endpoint) and the media operations a call leg needs: play (with
 * barge-in), music on hold as a looping file, stop, record what the leg says, bridge, and release. Every
 * library call is guarded: an execute whose channel hangs up never completes, drachtio-fsmrf's api() never
 * rejects, destroy() waits for a BYE that may never come — so each one is raced against the channel's end or
 * a time limit, and nothing it returns can reject unhandled.
 */
import type { Logger } from 'pino';
import type { DtmfEvent, PlayOutcome } from '../../../ports/call-control.js';
import type { Clock } from '../../../ports/clock.js';
import { DfsError, describeError } from './errors.js';
import { dtmfFromFs, isApiOk, mediaGoneCause, playbackReport, playbackTarget } from './fs-messages.js';
import { markHandled } from './fsmrf-guards.js';
import type { SafetyNet, SafetyNetWatch } from './safety-net.js';
import type { ChannelEvent, EndpointApi } from './types.js';

export interface ChannelDeps {
  /** API commands on the media server's inbound connection (time-limited, may reject). */
  api(command: string): Promise<string>;
  safety: SafetyNet;
  clock: Pick<Clock, 'setTimer'>;
  /** How long release() waits for FreeSWITCH's BYE before uuid_kill. Default 3000. */
  destroyTimeoutMs?: number;
  /** How long a new play waits for the broken one to report completion. Default 2000. */
  breakWaitMs?: number;
  /** Told about every hang-up in progress (close() waits for them). */
  trackRelease?(done: Promise<void>): void;
}

interface PlayToken {
  bargeIn: boolean;
  interrupted: boolean;
  stopped: boolean;
  done: boolean;
  /** FreeSWITCH finished the execute running now (a new play waits for it, a little). */
  completion: Promise<void>;
  /** Resolved when we break the playback: a loop must not wait for an execute that uuid_break flushed. */
  broken: Promise<void>;
  breakNow(): void;
}

/**
 * Music on hold: one `playback` of the file this many times over (file_string://f!f!…), executed again until
 * stopped. Not endless_playback: it ignores uuid_break (mod_dptools loops on SWITCH_STATUS_BREAK while the
 * channel is up), so music started that way could never be stopped short of hanging up — seen on 1.10.12.
 */
const MOH_REPEATS_PER_EXECUTE = 20;

type PlayRun = { kind: 'completed'; evt: ChannelEvent } | { kind: 'error'; err: unknown } | { kind: 'gone' } | { kind: 'broken' };

export interface ChannelGone {
  cause: string;
  /** True when we released it; false when FreeSWITCH ended it (safety net, crash, media timeout). */
  byUs: boolean;
}

export class FsChannel {
  readonly uuid: string;
  private goneInfo: ChannelGone | undefined;
  private resolveGone!: () => void;
  private readonly goneP: Promise<void>;
  private readonly goneListeners: Array<(g: ChannelGone) => void> = [];
  private readonly dtmfListeners: Array<(ev: DtmfEvent) => void> = [];
  private current: PlayToken | undefined;
  private mediaLock: Promise<void> = Promise.resolve();
  private recording: string | undefined;
  private readonly safetyWatch: SafetyNetWatch;
  bridgedWith: FsChannel | undefined;

  constructor(
    private readonly ep: EndpointApi,
    private readonly deps: ChannelDeps,
    private readonly log: Logger,
  ) {
    this.uuid = ep.uuid;
    this.goneP = new Promise((resolve) => (this.resolveGone = resolve));
    ep.on('dtmf', (args) => this.onFsDtmf(args));
    ep.on('destroy', (info) => this.markGone({ cause: mediaGoneCause(info?.reason), byUs: false }));
    this.safetyWatch = deps.safety.watch(this.uuid, log);
    // FreeSWITCH may hang up between drachtio-fsmrf's 'ready' and this constructor (its CHANNEL_CALLSTATE
    // HANGUP then had no listener yet): such a channel is gone from the start.
    if (ep.connected === false) this.markGone({ cause: mediaGoneCause(undefined), byUs: false });
  }

  /** FreeSWITCH's SDP for this channel: the answer to the caller, or the offer to an agent. */
  get localSdp(): string | undefined {
    return this.ep.local.sdp;
  }

  get gone(): boolean {
    return this.goneInfo !== undefined;
  }

  onDtmf(fn: (ev: DtmfEvent) => void): void {
    this.dtmfListeners.push(fn);
  }

  onGone(fn: (g: ChannelGone) => void): void {
    if (this.goneInfo !== undefined) fn(this.goneInfo);
    else this.goneListeners.push(fn);
  }

  /**
   * Plays files in order (one playback: file_string://a!b), or one file over and over until stopped (music on
   * hold). A new play replaces the current one, which resolves 'stopped'.
   */
  async play(files: readonly string[], opts: { bargeIn: boolean; loop: boolean }): Promise<PlayOutcome> {
    if (this.gone) return 'hangup';
    if (files.length === 0) return 'done';
    const bad = files.find((f) => f.includes('!') || /[\r\n]/.test(f));
    if (bad !== undefined) throw new DfsError('HOTLINE_E_DFS_CALL_STATE', `cannot play "${bad}": FreeSWITCH file lists cannot contain "!" or line breaks`);

    let token: PlayToken | undefined;
    let run: Promise<PlayRun> | undefined;
    await this.withMediaLock(async () => {
      await this.breakCurrent('stopped');
      if (this.gone) return;
      let breakNow!: () => void;
      const broken = new Promise<void>((resolve) => (breakNow = resolve));
      const t: PlayToken = { bargeIn: opts.bargeIn, interrupted: false, stopped: false, done: false, completion: Promise.resolve(), broken, breakNow };
      token = t;
      this.current = t;
      const target = opts.loop ? playbackTarget(Array<string>(MOH_REPEATS_PER_EXECUTE).fill(files[0]!)) : playbackTarget(files);
      run = this.runPlayback(t, target, opts.loop);
    });
    if (token === undefined || run === undefined) return 'hangup';
    const result = await run;
    token.done = true;
    if (this.current === token) this.current = undefined;
    if (result.kind === 'gone' || this.gone) return 'hangup';
    if (token.interrupted) return 'interrupted';
    if (token.stopped) return 'stopped';
    if (result.kind === 'error') throw new DfsError('HOTLINE_E_DFS_MEDIA_SERVER', `playback failed: ${describeError(result.err)}`);
    if (result.kind === 'broken') return 'stopped';
    const report = playbackReport(result.evt.getHeader('Application-Response'));
    if (report === 'not-found') {
      throw new DfsError('HOTLINE_E_DFS_PROMPT_NOT_FOUND', `FreeSWITCH cannot read ${files.join(', ')}: it must see the prompts at the same path as the app`);
    }
    if (report === 'error') throw new DfsError('HOTLINE_E_DFS_MEDIA_SERVER', `FreeSWITCH could not play ${files.join(', ')}`);
    return 'done';
  }

  /**
   * One `playback` execute (again and again for a loop) until it completes, fails, is broken, or the channel
   * goes. A loop goes on only after a complete, unbroken round that played.
   */
  private async runPlayback(token: PlayToken, target: string, loop: boolean): Promise<PlayRun> {
    for (;;) {
      const exec = markHandled(this.ep.execute('playback', target), this.log, 'playback');
      token.completion = exec.then(() => undefined, () => undefined);
      const result: PlayRun = await Promise.race([
        exec.then((evt): PlayRun => ({ kind: 'completed', evt }), (err: unknown): PlayRun => ({ kind: 'error', err })),
        this.goneP.then((): PlayRun => ({ kind: 'gone' })),
        token.broken.then((): PlayRun => ({ kind: 'broken' })),
      ]);
      if (!loop || result.kind !== 'completed' || token.stopped || token.interrupted || this.gone) return result;
      if (playbackReport(result.evt.getHeader('Application-Response')) !== 'played') return result;
    }
  }

  /** Stops the current playback or music (it resolves 'stopped'). */
  stop(): void {
    this.breakCurrent('stopped').catch(() => undefined);
  }

  /** A digit arrived by SIP INFO on the leg: barge-in is ours to do, FreeSWITCH never saw it. */
  bargeIn(): void {
    if (this.current?.bargeIn === true && !this.current.done) this.breakCurrent('interrupted').catch(() => undefined);
  }

  /** Records what this channel receives (the far end's voice) into an 8 kHz mono WAV. */
  async startRecording(file: string): Promise<void> {
    if (this.gone) return;
    if (/\s/.test(file)) throw new DfsError('HOTLINE_E_DFS_CALL_STATE', `cannot record to "${file}": the path must not contain spaces`);
    // RECORD_READ_ONLY: the read stream only (what the far end sends), not the prompts we play to it.
    await this.deps.api(`uuid_setvar_multi ${this.uuid} RECORD_READ_ONLY=true;record_sample_rate=8000;RECORD_STEREO=false`);
    const res = await this.deps.api(`uuid_record ${this.uuid} start ${file}`);
    if (!isApiOk(res)) throw new DfsError('HOTLINE_E_DFS_MEDIA_SERVER', `uuid_record start: ${res.trim()}`);
    this.recording = file;
  }

  async stopRecording(): Promise<void> {
    const file = this.recording;
    if (file === undefined) return;
    this.recording = undefined;
    if (this.gone) return; // FreeSWITCH closed the file when the channel ended
    const res = await this.deps.api(`uuid_record ${this.uuid} stop ${file}`);
    if (!isApiOk(res)) this.log.warn({ file, response: res.trim() }, 'uuid_record stop did not confirm');
  }

  /** Connects this channel's media with another's, both ways (uuid_bridge), after stopping their playback. */
  async bridge(other: FsChannel): Promise<void> {
    await Promise.all([this.withMediaLock(() => this.breakCurrent('stopped')), other.withMediaLock(() => other.breakCurrent('stopped'))]);
    const res = await this.deps.api(`uuid_bridge ${this.uuid} ${other.uuid}`);
    if (!isApiOk(res)) throw new DfsError('HOTLINE_E_DFS_MEDIA_SERVER', `uuid_bridge: ${res.trim()}`);
    this.bridgedWith = other;
    other.bridgedWith = this;
  }

  /** Points the channel's media at a new far-end SDP (re-INVITE to FreeSWITCH); resolves with its answer. */
  async updateRemoteSdp(sdp: string): Promise<string> {
    const dialog = this.ep.dialog;
    if (dialog === null || this.gone) throw new DfsError('HOTLINE_E_DFS_CALL_STATE', 'the channel is gone');
    return markHandled(dialog.modify(sdp), this.log, 'modify');
  }

  /** Hangs the channel up; never rejects. uuid_kill if FreeSWITCH does not confirm in time. */
  release(): Promise<void> {
    this.safetyWatch.stop();
    if (this.gone) return Promise.resolve();
    this.markGone({ cause: 'released', byUs: true });
    const done = this.hangUp();
    this.deps.trackRelease?.(done);
    return done;
  }

  private async hangUp(): Promise<void> {
    let timer: { cancel(): void } | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => (timer = this.deps.clock.setTimer(this.deps.destroyTimeoutMs ?? 3000, () => resolve('timeout'))));
    let destroy: Promise<unknown>;
    try {
      destroy = markHandled(this.ep.destroy(), this.log, 'endpoint.destroy');
    } catch (err) {
      destroy = Promise.reject(err);
      destroy.catch(() => undefined);
    }
    const outcome = await Promise.race([destroy.then(() => 'ok' as const, () => 'failed' as const), timedOut]);
    timer?.cancel();
    if (outcome !== 'ok') {
      this.log.warn({ outcome }, 'FreeSWITCH did not confirm the hang-up: uuid_kill');
      await this.deps.api(`uuid_kill ${this.uuid}`).catch((err: unknown) => this.log.warn({ err: describeError(err) }, 'uuid_kill failed'));
    }
  }

  /** FreeSWITCH no longer has this channel (reconciliation found it missing). */
  lost(): void {
    this.safetyWatch.stop();
    this.markGone({ cause: 'media-server-lost', byUs: false });
  }

  private onFsDtmf(args: { dtmf?: unknown; source?: unknown }): void {
    if (this.gone) return;
    const ev = dtmfFromFs(args);
    if (ev === null) {
      this.log.debug({ args }, 'ignoring an unreadable DTMF event');
      return;
    }
    if (this.current?.bargeIn === true && !this.current.done) this.breakCurrent('interrupted').catch(() => undefined);
    for (const fn of this.dtmfListeners) {
      try {
        fn(ev);
      } catch (err) {
        this.log.error({ err: describeError(err) }, 'DTMF listener failed');
      }
    }
  }

  /** Breaks the current playback (uuid_break) and waits, a little, for it to finish. Never rejects. */
  private async breakCurrent(kind: 'stopped' | 'interrupted'): Promise<void> {
    const token = this.current;
    if (token === undefined || token.done || this.gone) return;
    if (kind === 'interrupted') token.interrupted = true;
    else if (!token.interrupted) token.stopped = true;
    token.breakNow();
    try {
      await this.deps.api(`uuid_break ${this.uuid} all`);
    } catch (err) {
      this.log.warn({ err: describeError(err) }, 'uuid_break failed');
    }
    let timer: { cancel(): void } | undefined;
    await Promise.race([token.completion, new Promise<void>((resolve) => (timer = this.deps.clock.setTimer(this.deps.breakWaitMs ?? 2000, resolve)))]);
    timer?.cancel();
  }

  /** Serializes "stop what plays, start the next thing" so two plays never race on FreeSWITCH's queue. */
  private async withMediaLock(fn: () => Promise<void>): Promise<void> {
    const previous = this.mediaLock;
    let release!: () => void;
    this.mediaLock = new Promise((resolve) => (release = resolve));
    try {
      await previous;
      await fn();
    } finally {
      release();
    }
  }

  private markGone(info: ChannelGone): void {
    if (this.goneInfo !== undefined) return;
    this.goneInfo = info;
    this.safetyWatch.stop();
    this.resolveGone();
    if (!info.byUs) this.log.warn({ cause: info.cause }, 'FreeSWITCH ended the channel');
    for (const fn of this.goneListeners.splice(0)) {
      try {
        fn(info);
      } catch (err) {
        this.log.error({ err: describeError(err) }, 'channel-gone listener failed');
      }
    }
  }
}

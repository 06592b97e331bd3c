/**
 * One FreeSWITCH channel driven over the shared event-socket connection (esl-media-server.ts): applications
 * run by `sendmsg … execute` with our own Event-UUID, whose CHANNEL_EXECUTE_COMPLETE carries it back as
 * Application-UUID; DTMF and the channel's end arrive as events routed here by Unique-ID. The channel ends
 * when either side sends BYE on the dialog with drachtio-server, or FreeSWITCH reports CHANNEL_HANGUP_COMPLETE
 * (whichever comes first).
 */
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import { DfsError, describeError } from './errors.js';
import type { ChannelEvent, EndpointApi, FsDtmfArgs, SrfDialog } from './types.js';

/** What an endpoint needs from its media server. */
export interface EndpointHost {
  sendmsg(uuid: string, headers: ReadonlyArray<readonly [string, string]>, body?: string): Promise<string>;
  /** A fresh Event-UUID for one execute. */
  nextExecuteId(): string;
  forget(uuid: string): void;
}

interface PendingExecute {
  resolve(ev: ChannelEvent): void;
  reject(err: Error): void;
}

export class EslEndpoint extends EventEmitter implements EndpointApi {
  readonly local: { sdp?: string };
  /** The SIP dialog until a BYE went either way: release() still hangs up a channel whose events stopped. */
  private dialogValue: SrfDialog | null;
  private over = false;
  private readonly executes = new Map<string, PendingExecute>();

  constructor(
    readonly uuid: string,
    dialog: SrfDialog,
    private readonly host: EndpointHost,
    private readonly log: Logger,
  ) {
    super();
    this.dialogValue = dialog;
    this.local = { sdp: dialog.remote.sdp };
    // FreeSWITCH's BYE names its hang-up cause in a Reason header (RFC 3326): `Q.850;cause=16;text="…"`.
    dialog.on('destroy', (bye) => {
      this.dialogValue = null;
      this.ended(reasonText(bye?.get('Reason')));
    });
  }

  get dialog(): SrfDialog | null {
    return this.dialogValue;
  }

  get connected(): boolean {
    return !this.over;
  }

  execute(app: string, arg?: string): Promise<ChannelEvent> {
    if (this.over) return Promise.reject(new DfsError('HOTLINE_E_DFS_CALL_STATE', `${app}: the channel is gone`));
    const id = this.host.nextExecuteId();
    return new Promise<ChannelEvent>((resolve, reject) => {
      this.executes.set(id, { resolve, reject });
      const headers: Array<readonly [string, string]> = [
        ['call-command', 'execute'],
        ['execute-app-name', app],
        ['Event-UUID', id],
      ];
      // The argument goes as the message body: a playlist of music on hold can be longer than a header line.
      this.host.sendmsg(this.uuid, headers, arg ?? '').catch((err: unknown) => {
        if (!this.executes.delete(id)) return;
        reject(err instanceof Error ? err : new DfsError('HOTLINE_E_DFS_MEDIA_SERVER', describeError(err)));
      });
    });
  }

  /** Hangs up by BYE to FreeSWITCH; resolves when it answered (at once if a BYE already went either way). */
  async destroy(): Promise<void> {
    this.ended(undefined, false);
    const dialog = this.dialogValue;
    if (dialog === null) return;
    this.dialogValue = null;
    await dialog.destroy();
  }

  /** An event of this channel, routed by the media server. */
  handle(ev: ChannelEvent): void {
    switch (ev.getHeader('Event-Name')) {
      case 'CHANNEL_EXECUTE_COMPLETE': {
        const id = ev.getHeader('Application-UUID');
        const pending = id === undefined ? undefined : this.executes.get(id);
        if (pending === undefined || id === undefined) return;
        this.executes.delete(id);
        pending.resolve(ev);
        return;
      }
      case 'DTMF': {
        const digit = ev.getHeader('DTMF-Digit');
        if (digit === undefined || this.over) return;
        const args: FsDtmfArgs = { dtmf: digit };
        const duration = ev.getHeader('DTMF-Duration');
        const source = ev.getHeader('DTMF-Source');
        if (duration !== undefined) args.duration = duration;
        if (source !== undefined) args.source = source;
        this.emit('dtmf', args);
        return;
      }
      case 'CHANNEL_HANGUP_COMPLETE':
        this.ended(ev.getHeader('Hangup-Cause'));
        return;
      default:
        return;
    }
  }

  /** The channel is over: executes in flight will never complete; tell FsChannel (unless we released it). */
  private ended(reason: string | undefined, tell = true): void {
    if (this.over) return;
    this.over = true;
    this.host.forget(this.uuid);
    for (const pending of this.executes.values()) pending.reject(new DfsError('HOTLINE_E_DFS_CALL_STATE', 'the channel ended'));
    this.executes.clear();
    if (!tell) return;
    try {
      this.emit('destroy', reason === undefined ? {} : { reason });
    } catch (err) {
      this.log.error({ uuid: this.uuid, err: describeError(err) }, 'channel end listener failed');
    }
  }
}

/** The cause named by a Reason header's text parameter, if any. */
export function reasonText(header: string | undefined): string | undefined {
  const m = /;\s*text="?([^";]*)"?/i.exec(header ?? '');
  const text = m?.[1]?.trim();
  return text === undefined || text === '' ? undefined : text;
}

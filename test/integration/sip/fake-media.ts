/**
 * In-test MediaEngine and SdpNegotiator (our own ports): no RTP, but the same contract the SIP side relies
 * on — sessions, remotes, play outcomes, DTMF events — plus a record of every call for assertions.
 */
import sdpTransform from 'sdp-transform';
import type {
  G711Codec,
  LocalMedia,
  MediaEngine,
  MediaPlayOutcome,
  MediaSessionEvents,
  RemoteMedia,
  SdpNegotiator,
} from '../../../src/adapters/telephony/builtin/media/media-engine.js';

interface Session {
  local: LocalMedia;
  remote?: RemoteMedia;
  plays: Array<(o: MediaPlayOutcome) => void>;
  recording?: string;
}

export class FakeMediaEngine implements MediaEngine {
  readonly sessions = new Map<string, Session>();
  readonly log: string[] = [];
  private events: MediaSessionEvents | undefined;
  private nextPort = 40_000;
  started = false;
  closed = false;

  async start(events: MediaSessionEvents): Promise<void> {
    this.events = events;
    this.started = true;
  }

  async createSession(sessionId: string): Promise<LocalMedia> {
    const local = { address: '127.0.0.1', port: (this.nextPort += 2) };
    this.sessions.set(sessionId, { local, plays: [] });
    this.log.push(`create ${sessionId}`);
    return local;
  }

  setRemote(sessionId: string, remote: RemoteMedia): void {
    const s = this.sessions.get(sessionId);
    if (s) s.remote = remote;
    this.log.push(`remote ${sessionId} ${remote.codec} ${remote.address}:${remote.port} ${remote.direction}`);
  }

  /** Plays "forever" until stop(), destroySession() or finishPlay(). */
  play(sessionId: string, files: readonly string[], opts: { bargeIn: boolean; loop: boolean }): Promise<MediaPlayOutcome> {
    this.log.push(`play ${sessionId} ${files.join(',')} bargeIn=${opts.bargeIn} loop=${opts.loop}`);
    const s = this.sessions.get(sessionId);
    if (s === undefined) return Promise.resolve('stopped');
    return new Promise((resolve) => s.plays.push(resolve));
  }

  finishPlay(sessionId: string, outcome: MediaPlayOutcome = 'done'): void {
    for (const resolve of this.sessions.get(sessionId)?.plays.splice(0) ?? []) resolve(outcome);
  }

  stop(sessionId: string): void {
    this.log.push(`stop ${sessionId}`);
    this.finishPlay(sessionId, 'stopped');
  }

  bridge(a: string, b: string): void {
    this.log.push(`bridge ${a} ${b}`);
    this.finishPlay(a, 'stopped');
    this.finishPlay(b, 'stopped');
  }

  unbridge(sessionId: string): void {
    this.log.push(`unbridge ${sessionId}`);
  }

  startRecording(sessionId: string, file: string): void {
    const s = this.sessions.get(sessionId);
    if (s) s.recording = file;
    this.log.push(`record ${sessionId} ${file}`);
  }

  async stopRecording(sessionId: string): Promise<void> {
    this.log.push(`stopRecording ${sessionId}`);
  }

  destroySession(sessionId: string): void {
    this.finishPlay(sessionId, 'stopped');
    this.sessions.delete(sessionId);
    this.log.push(`destroy ${sessionId}`);
  }

  /** What the RTP side would report for an RFC 4733 digit. */
  emitDtmf(sessionId: string, digit: string): void {
    this.events?.onDtmf(sessionId, digit);
  }

  stats(): { sessions: number; sendJitterP50Ms: number; sendJitterP99Ms: number } {
    return { sessions: this.sessions.size, sendJitterP50Ms: 0, sendJitterP99Ms: 0 };
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

const CODECS: Record<number, G711Codec> = { 0: 'PCMU', 8: 'PCMA' };
type Direction = RemoteMedia['direction'];
const FLIP: Record<Direction, Direction> = { sendrecv: 'sendrecv', sendonly: 'recvonly', recvonly: 'sendonly', inactive: 'inactive' };

function readRemote(sdp: string): { remote: RemoteMedia; payloads: number[] } | null {
  const parsed = sdpTransform.parse(sdp);
  const audio = parsed.media.find((m) => m.type === 'audio' && m.port > 0);
  if (audio === undefined) return null;
  const payloads = String(audio.payloads ?? '').split(' ').map(Number);
  const pt = payloads.find((p) => p in CODECS);
  if (pt === undefined) return null;
  const dtmf = audio.rtp.find((r) => r.codec.toLowerCase() === 'telephone-event')?.payload;
  const address = audio.connection?.ip ?? parsed.connection?.ip;
  if (address === undefined) return null;
  const direction = (audio.direction ?? parsed.direction ?? 'sendrecv') as Direction;
  const remote: RemoteMedia = { address, port: audio.port, codec: CODECS[pt]!, payloadType: pt, direction };
  if (dtmf !== undefined) remote.dtmfPayloadType = dtmf;
  return { remote, payloads };
}

function write(local: LocalMedia, version: number, payloads: number[], direction: Direction, dtmfPt?: number): string {
  const rtp: Array<{ payload: number; codec: string; rate: number }> = payloads.map((p) => ({ payload: p, codec: CODECS[p]!, rate: 8000 }));
  if (dtmfPt !== undefined) rtp.push({ payload: dtmfPt, codec: 'telephone-event', rate: 8000 });
  return sdpTransform.write({
    version: 0,
    origin: { username: 'hotline', sessionId: 1, sessionVersion: version, netType: 'IN', ipVer: 4, address: local.address },
    name: 'hotline',
    connection: { version: 4, ip: local.address },
    timing: { start: 0, stop: 0 },
    media: [
      {
        type: 'audio',
        port: local.port,
        protocol: 'RTP/AVP',
        payloads: [...payloads, ...(dtmfPt !== undefined ? [dtmfPt] : [])].join(' '),
        rtp,
        fmtp: dtmfPt !== undefined ? [{ payload: dtmfPt, config: '0-16' }] : [],
        direction,
      },
    ],
  });
}

export class FakeSdpNegotiator implements SdpNegotiator {
  answer(offerSdp: string, local: LocalMedia, sessionVersion: number): { answerSdp: string; remote: RemoteMedia } | null {
    const read = readRemote(offerSdp);
    if (read === null) return null;
    const { remote } = read;
    return { answerSdp: write(local, sessionVersion, [remote.payloadType], FLIP[remote.direction], remote.dtmfPayloadType), remote };
  }

  offer(local: LocalMedia, sessionVersion: number): string {
    return write(local, sessionVersion, [0, 8], 'sendrecv', 101);
  }

  parseAnswer(answerSdp: string): RemoteMedia | null {
    return readRemote(answerSdp)?.remote ?? null;
  }
}

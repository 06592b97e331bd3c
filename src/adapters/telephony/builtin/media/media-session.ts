/**
 * One call leg's media inside the worker: its UDP socket, where and how to send, the prompt player, the DTMF
 * detector, an optional recorder and an optional bridged peer.
 *
 * Symmetric RTP (latching, RFC 4961 and common SBC practice): when `symmetricRtp` is on, the first RTP packet
 * with a negotiated payload type fixes where we send, even if it came from another address or port than the SDP
 * said — a phone behind NAT sends from its public mapping, which is the only place our packets can reach it.
 * Once latched the socket is `connect()`ed to that source: sends skip the per-packet address lookup, and the
 * kernel drops datagrams from anyone else. A new remote address in setRemote (re-INVITE) un-latches. With
 * `symmetricRtp` off we connect straight to the SDP address. We send nothing while idle (no prompt, nothing
 * to forward): no comfort noise, as RFC 3551 §4.1 allows for silence.
 */
import type { RemoteInfo, Socket } from 'node:dgram';
import { codecOfStaticPayloadType, transcodeG711 } from './g711.js';
import type { G711Codec, MediaPlayOutcome, RemoteMedia } from './media-engine.js';
import type { Player } from './playback.js';
import { RtpRecorder } from './recorder.js';
import { DtmfDetector } from './rfc4733.js';
import { parseRtp, RTP_HEADER_BYTES, writeRtpHeader, type RtpPacket, type RtpSendHeader } from './rtp-packet.js';
import { RtpOutStream, SAMPLES_PER_FRAME } from './rtp-stream.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface MediaCounters {
  packetsSent: number;
  packetsReceived: number;
  /** Datagrams that were not valid RTP. */
  packetsMalformed: number;
  /** Valid RTP we had no use for (unknown payload type, comfort noise, RTCP on the RTP port, before setRemote). */
  packetsIgnored: number;
}

/** What a session needs from the worker around it. */
export interface SessionHost {
  readonly symmetricRtp: boolean;
  readonly counters: MediaCounters;
  nowMs(): number;
  recordSendLateness(lateMs: number): void;
  onDtmf(sessionId: string, digit: string): void;
  /** Called when this session starts or stops playing (the clock serves only playing sessions). */
  onPlayingChanged(session: MediaSession): void;
  log(level: LogLevel, msg: string, fields: Record<string, unknown>): void;
}

interface Endpoint {
  address: string;
  port: number;
}

const sameEndpoint = (a: Endpoint | null, b: Endpoint | null): boolean =>
  a !== null && b !== null && a.address === b.address && a.port === b.port;

export class MediaSession {
  peer: MediaSession | null = null;
  private remote: RemoteMedia | null = null;
  private target: Endpoint | null = null;
  private latched = false;
  private connectState: 'none' | 'connecting' | 'connected' = 'none';
  private connectedTo: Endpoint | null = null;
  private readonly out = RtpOutStream.random();
  private player: Player | null = null;
  private finishPlay: ((outcome: MediaPlayOutcome) => void) | null = null;
  private detector = new DtmfDetector();
  private detectorSsrc: number | null = null;
  private recorder: RtpRecorder | null = null;
  private socketErrors = 0;
  private closed = false;

  constructor(
    readonly id: string,
    private readonly socket: Socket,
    readonly port: number,
    private readonly host: SessionHost,
  ) {
    socket.on('message', this.onDatagram);
    socket.on('error', this.onSocketError);
  }

  get playing(): boolean {
    return this.player !== null;
  }

  setRemote(remote: RemoteMedia): void {
    const previous = this.remote;
    this.remote = remote;
    const sdpEndpoint = remote.address === '0.0.0.0' || remote.port === 0 ? null : { address: remote.address, port: remote.port };
    const sdpChanged = !previous || previous.address !== remote.address || previous.port !== remote.port;
    if (!sdpChanged) return; // direction/codec change only (re-INVITE): keep the latched source
    this.target = sdpEndpoint;
    this.latched = false;
    this.reconcileConnection();
  }

  /** Starts a player; a previous one ends 'stopped'. */
  startPlayback(player: Player, finish: (outcome: MediaPlayOutcome) => void): void {
    this.stopPlayback('stopped');
    this.player = player;
    this.finishPlay = finish;
    this.host.onPlayingChanged(this);
  }

  stopPlayback(outcome: MediaPlayOutcome): void {
    if (!this.player) return;
    const finish = this.finishPlay;
    this.player = null;
    this.finishPlay = null;
    this.out.endTalkspurt();
    finish?.(outcome);
    this.host.onPlayingChanged(this);
  }

  /** This session's media-clock frame number `frame`, due at `deadlineMs`: send the next prompt frame or finish. */
  onTick(frame: number, deadlineMs: number): void {
    const player = this.player;
    if (!player) return;
    const remote = this.remote;
    const packet = Buffer.allocUnsafe(RTP_HEADER_BYTES + SAMPLES_PER_FRAME);
    if (!player.nextFrame(remote?.codec ?? 'PCMU', packet, RTP_HEADER_BYTES)) {
      this.stopPlayback('done');
      return;
    }
    // Without a destination (or while the peer does not want audio) the prompt still runs in real time.
    if (!remote || !this.canSend()) return;
    writeRtpHeader(packet, this.out.paced(remote.payloadType, frame, deadlineMs));
    this.send(packet);
    this.host.recordSendLateness(this.host.nowMs() - deadlineMs);
  }

  startRecording(file: string): void {
    const previous = this.recorder;
    this.recorder = new RtpRecorder(file);
    if (previous) this.finalizeRecording(previous);
  }

  stopRecording(): Promise<void> {
    const recorder = this.recorder;
    this.recorder = null;
    return recorder ? recorder.close() : Promise.resolve();
  }

  /** Closes the socket; resolves when a running recording is on disk. */
  destroy(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    this.stopPlayback('stopped');
    this.unbridge();
    this.socket.off('message', this.onDatagram);
    this.socket.close();
    // Keep listening for errors: a send already queued may still fail after close.
    return this.stopRecording();
  }

  unbridge(): void {
    const peer = this.peer;
    if (!peer) return;
    this.peer = null;
    peer.peer = null;
    this.out.endTalkspurt();
    peer.out.endTalkspurt();
  }

  private finalizeRecording(recorder: RtpRecorder): void {
    recorder.close().catch((err: Error) => this.host.log('error', err.message, { sessionId: this.id }));
  }

  private canSend(): boolean {
    const direction = this.remote?.direction;
    return this.target !== null && (direction === 'sendrecv' || direction === 'recvonly');
  }

  private send(packet: Buffer): void {
    if (this.connectState === 'connected') {
      this.socket.send(packet);
    } else if (this.connectState === 'none' && this.target) {
      this.socket.send(packet, this.target.port, this.target.address);
    } else {
      return; // connecting: lasts until the next turn of the event loop
    }
    this.host.counters.packetsSent++;
  }

  private readonly onDatagram = (datagram: Buffer, source: RemoteInfo): void => {
    try {
      this.receive(datagram, source);
    } catch (err) {
      // Never let one odd packet (or a bug) take down the worker and every call with it.
      this.host.log('error', `RTP receive failed: ${(err as Error).stack}`, { sessionId: this.id });
    }
  };

  private receive(datagram: Buffer, source: RemoteInfo): void {
    const counters = this.host.counters;
    counters.packetsReceived++;
    // Fast path for the common case — the caller's audio while we only play prompts: nothing to record,
    // forward or latch, so it is not worth a full parse (saves allocations on 50 packets/s per call).
    const remote = this.remote;
    if (
      remote && !this.recorder && !this.peer && (this.latched || !this.host.symmetricRtp) &&
      datagram.length >= RTP_HEADER_BYTES && datagram[0]! >> 6 === 2 && (datagram[1]! & 0x7f) === remote.payloadType
    ) {
      return;
    }
    const packet = parseRtp(datagram);
    if (!packet) {
      counters.packetsMalformed++;
      return;
    }
    if (!remote) {
      counters.packetsIgnored++;
      return;
    }
    if (remote.dtmfPayloadType !== undefined && packet.payloadType === remote.dtmfPayloadType) {
      this.latchTo(source);
      this.onTelephoneEvent(packet);
      return;
    }
    const codec = packet.payloadType === remote.payloadType ? remote.codec : codecOfStaticPayloadType(packet.payloadType);
    if (!codec) {
      counters.packetsIgnored++;
      return;
    }
    this.latchTo(source);
    this.recorder?.write(packet.ssrc, packet.timestamp, codec, packet.payload);
    this.peer?.forwardAudio(packet, codec);
  }

  private onTelephoneEvent(packet: RtpPacket): void {
    if (packet.ssrc !== this.detectorSsrc) {
      this.detector = new DtmfDetector();
      this.detectorSsrc = packet.ssrc;
    }
    const digit = this.detector.onPacket(packet);
    if (digit !== null) {
      this.host.onDtmf(this.id, digit);
      if (this.player?.bargeIn) this.stopPlayback('interrupted');
    }
    this.peer?.forwardTelephoneEvent(packet);
  }

  /** Audio from the bridged peer, in `codec`; re-encoded if this leg negotiated the other law. */
  private forwardAudio(packet: RtpPacket, codec: G711Codec): void {
    const remote = this.remote;
    // A prompt playing on this leg (e.g. an announcement) has the stream; the peer's audio waits.
    if (!remote || this.player || !this.canSend()) return;
    this.sendForwarded(this.out.forwarded(remote.payloadType, packet, this.host.nowMs()), transcodeG711(codec, remote.codec, packet.payload));
  }

  /** RFC 4733 events pass through only if this leg negotiated telephone-event, under its payload type. */
  private forwardTelephoneEvent(packet: RtpPacket): void {
    const payloadType = this.remote?.dtmfPayloadType;
    if (payloadType === undefined || this.player || !this.canSend()) return;
    this.sendForwarded(this.out.forwarded(payloadType, packet, this.host.nowMs()), packet.payload);
  }

  private sendForwarded(header: RtpSendHeader, payload: Uint8Array): void {
    const packet = Buffer.allocUnsafe(RTP_HEADER_BYTES + payload.length);
    writeRtpHeader(packet, header);
    packet.set(payload, RTP_HEADER_BYTES);
    this.send(packet);
  }

  private latchTo(source: RemoteInfo): void {
    if (!this.host.symmetricRtp || this.latched || !this.remote) return;
    this.latched = true;
    const observed = { address: source.address, port: source.port };
    if (!sameEndpoint(observed, this.target)) {
      this.host.log('info', 'RTP source differs from SDP; sending to the observed source (symmetric RTP)', {
        sessionId: this.id,
        sdp: this.target,
        observed,
      });
    }
    this.target = observed;
    this.reconcileConnection();
  }

  /** Brings the socket's connected peer in line with where we want to send (see the file comment). */
  private reconcileConnection(): void {
    if (this.closed || this.connectState === 'connecting') return; // the connect callback reconciles again
    const wanted = this.target && (this.latched || !this.host.symmetricRtp) ? this.target : null;
    if (this.connectState === 'connected') {
      if (sameEndpoint(wanted, this.connectedTo)) return;
      this.socket.disconnect();
      this.connectState = 'none';
      this.connectedTo = null;
    }
    if (!wanted) return;
    this.connectState = 'connecting';
    this.connectedTo = wanted;
    this.socket.connect(wanted.port, wanted.address, (err?: Error) => {
      if (this.closed) return;
      if (err) {
        // Stay unconnected: sends carry the address instead.
        this.connectState = 'none';
        this.connectedTo = null;
        this.host.log('warn', 'cannot connect RTP socket', { sessionId: this.id, error: err.message });
        return;
      }
      this.connectState = 'connected';
      this.reconcileConnection();
    });
  }

  private readonly onSocketError = (err: Error): void => {
    // e.g. ECONNREFUSED on a connected socket after the far end closed its port: not fatal for UDP.
    this.socketErrors++;
    if (this.socketErrors === 1 || this.socketErrors % 1000 === 0) {
      this.host.log('debug', 'RTP socket error', { sessionId: this.id, error: err.message, count: this.socketErrors });
    }
  };
}

/**
 * The built-in engine's media side, as the SIP side sees it. RTP sockets, the 20 ms media clock, prompt
 * playback, music on hold, RFC 4733 DTMF detection, recording and bridging live behind this interface
 * (implemented in a worker thread so SIP and HTTP work never delays a packet).
 */

export type G711Codec = 'PCMU' | 'PCMA';

/** What we learnt about the far end from its SDP. */
export interface RemoteMedia {
  address: string;
  port: number;
  codec: G711Codec;
  payloadType: number; // 0 for PCMU, 8 for PCMA
  /** RFC 4733 telephone-event payload type, if the far end offered/accepted it. */
  dtmfPayloadType?: number;
  /** a=sendrecv / sendonly / recvonly / inactive */
  direction: 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';
}

export interface LocalMedia {
  address: string;
  port: number;
}

export type MediaPlayOutcome = 'done' | 'interrupted' | 'stopped';

export interface MediaSessionEvents {
  onDtmf(sessionId: string, digit: string): void;
}

export interface MediaEngine {
  start(events: MediaSessionEvents): Promise<void>;
  /** Allocates an RTP port (even) on the media address. */
  createSession(sessionId: string): Promise<LocalMedia>;
  /** Sets or updates where to send RTP and which codec to use. */
  setRemote(sessionId: string, remote: RemoteMedia): void;
  /** Plays WAV files (8 kHz mono, 16-bit PCM or G.711) in order. */
  play(sessionId: string, files: readonly string[], opts: { bargeIn: boolean; loop: boolean }): Promise<MediaPlayOutcome>;
  /** Stops playback/music (pending play() resolves 'stopped'). */
  stop(sessionId: string): void;
  /** Forwards RTP both ways between two sessions (transcoding PCMU<->PCMA if needed); stops their playback. */
  bridge(a: string, b: string): void;
  unbridge(sessionId: string): void;
  startRecording(sessionId: string, file: string): void;
  stopRecording(sessionId: string): Promise<void>;
  /** Releases the port; pending play() resolves 'stopped'. */
  destroySession(sessionId: string): void;
  stats(): { sessions: number; sendJitterP50Ms: number; sendJitterP99Ms: number };
  close(): Promise<void>;
}

/** SDP helpers (sdp-transform): offer/answer for G.711 + telephone-event. */
export interface SdpNegotiator {
  /** Answers an offer: picks PCMU or PCMA (offer order) and telephone-event; null if no common codec (→ 488). */
  answer(offerSdp: string, local: LocalMedia, sessionVersion: number): { answerSdp: string; remote: RemoteMedia } | null;
  /** Our offer to an agent's phone: PCMU, PCMA, telephone-event/8000. */
  offer(local: LocalMedia, sessionVersion: number): string;
  /** Reads the answer to our offer; null if unusable. */
  parseAnswer(answerSdp: string): RemoteMedia | null;
}

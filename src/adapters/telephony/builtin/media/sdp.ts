/**
 * SDP offer/answer (RFC 3264) for our one audio stream: G.711 PCMU/PCMA plus RFC 4733 telephone-event, parsed and
 * written with `sdp-transform`.
 *
 * Answering (RFC 3264 §6): we accept the first usable audio m-line (RTP/AVP or RTP/AVPF, port ≠ 0) and reject
 * every other m-line with port 0, keeping the offer's m-line count and order as §6 requires. We pick the first of
 * PCMU/PCMA in the OFFERER's preference order (echoing its payload type, even a dynamic one), add
 * telephone-event/8000 when offered (echoing its payload type), ask for 20 ms packets and mirror the direction
 * (sendonly ↔ recvonly, §6.1). Returns null when no G.711 codec is offered: the SIP side answers 488.
 */
import { parse, write, type MediaDescription, type SessionDescription } from 'sdp-transform';
import type { G711Codec, LocalMedia, RemoteMedia, SdpNegotiator } from './media-engine.js';

type Direction = RemoteMedia['direction'];

const OUR_DTMF_PAYLOAD_TYPE = 101;
const OUR_DTMF_EVENTS = '0-16';
const PTIME_MS = 20;

interface AudioChoice {
  codec: G711Codec;
  payloadType: number;
  dtmfPayloadType?: number;
  dtmfFmtp?: string;
}

export interface SdpNegotiatorOptions {
  /** o= username and s= name (default "hotline"). */
  name?: string;
  /** Base for o= sess-id (default random); sess-id = base + local port, stable across re-offers of a session. */
  sessionIdBase?: number;
}

export class G711SdpNegotiator implements SdpNegotiator {
  private readonly name: string;
  private readonly sessionIdBase: number;

  constructor(options: SdpNegotiatorOptions = {}) {
    this.name = options.name ?? 'hotline';
    this.sessionIdBase = options.sessionIdBase ?? 1_000_000 + Math.floor(Math.random() * 1_000_000_000);
  }

  answer(offerSdp: string, local: LocalMedia, sessionVersion: number): { answerSdp: string; remote: RemoteMedia } | null {
    const offer = safeParse(offerSdp);
    if (!offer) return null;
    const index = offer.media.findIndex((m) => isUsableAudio(m));
    if (index < 0) return null;
    const media = offer.media[index]!;
    const choice = chooseAudio(media);
    if (!choice) return null;
    const remote = remoteMedia(offer, media, choice);
    if (!remote || ipVersion(remote.address) !== ipVersion(local.address)) return null;

    const answerMedia: MediaDescription[] = offer.media.map((m, i) => {
      if (i !== index) return rejectedMedia(m);
      const dtmf = choice.dtmfPayloadType;
      return {
        type: 'audio',
        port: local.port,
        protocol: media.protocol,
        payloads: [choice.payloadType, ...(dtmf !== undefined ? [dtmf] : [])].join(' '),
        rtp: [
          { payload: choice.payloadType, codec: choice.codec, rate: 8000 },
          ...(dtmf !== undefined ? [{ payload: dtmf, codec: 'telephone-event', rate: 8000 }] : []),
        ],
        fmtp: dtmf !== undefined ? [{ payload: dtmf, config: choice.dtmfFmtp ?? '0-15' }] : [],
        ptime: PTIME_MS,
        direction: mirror(remote.direction),
      };
    });
    return { answerSdp: write(this.session(local, sessionVersion, answerMedia)), remote };
  }

  offer(local: LocalMedia, sessionVersion: number): string {
    return write(
      this.session(local, sessionVersion, [
        {
          type: 'audio',
          port: local.port,
          protocol: 'RTP/AVP',
          payloads: `0 8 ${OUR_DTMF_PAYLOAD_TYPE}`,
          rtp: [
            { payload: 0, codec: 'PCMU', rate: 8000 },
            { payload: 8, codec: 'PCMA', rate: 8000 },
            { payload: OUR_DTMF_PAYLOAD_TYPE, codec: 'telephone-event', rate: 8000 },
          ],
          fmtp: [{ payload: OUR_DTMF_PAYLOAD_TYPE, config: OUR_DTMF_EVENTS }],
          ptime: PTIME_MS,
          direction: 'sendrecv',
        },
      ]),
    );
  }

  parseAnswer(answerSdp: string): RemoteMedia | null {
    const answer = safeParse(answerSdp);
    if (!answer) return null;
    const media = answer.media.find((m) => isUsableAudio(m));
    if (!media) return null;
    const choice = chooseAudio(media);
    return choice ? remoteMedia(answer, media, choice) : null;
  }

  private session(local: LocalMedia, sessionVersion: number, media: MediaDescription[]): SessionDescription {
    const ipVer = ipVersion(local.address);
    return {
      version: 0,
      origin: {
        username: this.name,
        sessionId: this.sessionIdBase + local.port,
        sessionVersion,
        netType: 'IN',
        ipVer,
        address: local.address,
      },
      name: this.name,
      connection: { version: ipVer, ip: local.address },
      timing: { start: 0, stop: 0 },
      media,
    };
  }
}

function safeParse(sdp: string): SessionDescription | null {
  try {
    const desc = parse(sdp);
    return Array.isArray(desc.media) ? desc : null;
  } catch {
    return null;
  }
}

function isUsableAudio(m: MediaDescription): boolean {
  // Plain RTP only: SRTP (RTP/SAVP, UDP/TLS/RTP/SAVPF) would need keys we do not negotiate.
  return m.type === 'audio' && m.port > 0 && (m.protocol === 'RTP/AVP' || m.protocol === 'RTP/AVPF');
}

function payloadList(m: MediaDescription): number[] {
  return String(m.payloads ?? '')
    .trim()
    .split(/\s+/)
    .filter((p) => /^\d+$/.test(p))
    .map(Number);
}

/** Codec name of payload type `pt`: its rtpmap, or the RFC 3551 static assignment for 0 and 8 without one. */
function codecOf(m: MediaDescription, pt: number): { name: string; rate: number; channels: number } | null {
  const map = (m.rtp ?? []).find((r) => r.payload === pt);
  if (map) return { name: map.codec.toUpperCase(), rate: map.rate ?? 0, channels: map.encoding ?? 1 };
  if (pt === 0) return { name: 'PCMU', rate: 8000, channels: 1 };
  if (pt === 8) return { name: 'PCMA', rate: 8000, channels: 1 };
  return null;
}

function chooseAudio(m: MediaDescription): AudioChoice | null {
  let audio: { codec: G711Codec; payloadType: number } | null = null;
  let dtmfPayloadType: number | undefined;
  for (const pt of payloadList(m)) {
    const codec = codecOf(m, pt);
    if (!codec || codec.rate !== 8000 || codec.channels !== 1) continue;
    if (!audio && (codec.name === 'PCMU' || codec.name === 'PCMA')) audio = { codec: codec.name, payloadType: pt };
    if (dtmfPayloadType === undefined && codec.name === 'TELEPHONE-EVENT') dtmfPayloadType = pt;
  }
  if (!audio) return null;
  if (dtmfPayloadType === undefined) return audio;
  const fmtp = (m.fmtp ?? []).find((f) => f.payload === dtmfPayloadType)?.config;
  return { ...audio, dtmfPayloadType, ...(fmtp ? { dtmfFmtp: fmtp } : {}) };
}

function remoteMedia(desc: SessionDescription, m: MediaDescription, choice: AudioChoice): RemoteMedia | null {
  // A media-level c= overrides the session-level one (RFC 4566 §5.7).
  const connection = m.connection ?? desc.connection;
  if (!connection?.ip) return null;
  const address = connection.ip.split('/')[0]!;
  let direction: Direction = m.direction ?? desc.direction ?? 'sendrecv';
  // RFC 3264 §8.4: c=0.0.0.0 is the old way to put a call on hold — the peer does not want to receive.
  if (address === '0.0.0.0') direction = direction === 'sendrecv' || direction === 'sendonly' ? 'sendonly' : 'inactive';
  return {
    address,
    port: m.port,
    codec: choice.codec,
    payloadType: choice.payloadType,
    ...(choice.dtmfPayloadType !== undefined ? { dtmfPayloadType: choice.dtmfPayloadType } : {}),
    direction,
  };
}

function mirror(direction: Direction): Direction {
  if (direction === 'sendonly') return 'recvonly';
  if (direction === 'recvonly') return 'sendonly';
  return direction;
}

function rejectedMedia(m: MediaDescription): MediaDescription {
  // §6: a rejected stream keeps its type and transport, port 0, and at least one format from the offer.
  const payloads = String(m.payloads ?? '').trim().split(/\s+/)[0] || '0';
  return { type: m.type, port: 0, protocol: m.protocol, payloads, rtp: [], fmtp: [] };
}

function ipVersion(address: string): 4 | 6 {
  return address.includes(':') ? 6 : 4;
}

/**
 * Reading FreeSWITCH's answers and events (pure): the `status` and `show channels as json` API bodies, DTMF
 * events, CHANNEL_EXECUTE_COMPLETE of playback, `uuid_getvar`. Formats per FreeSWITCH 1.10's mod_commands
 * (status_function, show) and switch_channel.c (the DTMF event); test/unit/drachtio/fixtures holds samples.
 */
import type { DtmfEvent } from '../../../ports/call-control.js';
import type { FsLoad } from './admission.js';

/** API replies start with +OK on success and -ERR / -USAGE on failure. */
export function isApiOk(body: string | undefined): boolean {
  return typeof body === 'string' && body.trimStart().startsWith('+OK');
}

const num = (text: string | undefined): number | undefined => {
  if (text === undefined) return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
};

/**
 * The load figures of `api status`:
 *   "2 session(s) - peak 3, last 5min 3"
 *   "0 session(s) per Sec out of max 30, peak 1, last 5min 1"   (current rate, then the limit)
 *   "1000 session(s) max"
 *   "min idle cpu 0.00/98.53"                                     (configured minimum / current idle)
 */
export function parseFsStatus(body: string, nowMs: number): FsLoad | null {
  const sessions = num(/^\s*(\d+) session\(s\) - peak/m.exec(body)?.[1]);
  const sps = num(/^\s*\d+ session\(s\) per Sec out of max (\d+)/m.exec(body)?.[1]);
  const maxSessions = num(/^\s*(\d+) session\(s\) max\s*$/m.exec(body)?.[1]);
  const idle = num(/^\s*min idle cpu [0-9.]+\/([0-9.]+)/m.exec(body)?.[1]);
  if (sessions === undefined || maxSessions === undefined) return null;
  return {
    sessions,
    maxSessions,
    sessionsPerSecondMax: sps ?? 0,
    // An unknown idle CPU must not shed load by itself.
    idleCpuPct: idle ?? 100,
    sampledAtMs: nowMs,
  };
}

export interface FsChannelRow {
  uuid: string;
  createdEpochSec: number;
  name: string;
}

/** `show channels as json`: {"row_count":N,"rows":[{uuid, created_epoch, name, ...}]}; null if unreadable. */
export function parseShowChannels(body: string): FsChannelRow[] | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null || !('row_count' in parsed)) return null;
  const rows = (parsed as { rows?: unknown }).rows;
  if (rows === undefined) return [];
  if (!Array.isArray(rows)) return null;
  const out: FsChannelRow[] = [];
  for (const row of rows as Array<Record<string, unknown>>) {
    if (typeof row !== 'object' || row === null || typeof row['uuid'] !== 'string') continue;
    out.push({
      uuid: row['uuid'],
      createdEpochSec: Number(row['created_epoch'] ?? 0) || 0,
      name: typeof row['name'] === 'string' ? row['name'] : '',
    });
  }
  return out;
}

/** `uuid_getvar` answers `_undef_` for an unset variable and -ERR for an unknown channel. */
export function getvarValue(body: string | undefined): string | undefined {
  if (body === undefined) return undefined;
  const v = body.trim();
  if (v === '' || v === '_undef_' || v.startsWith('-ERR') || v.startsWith('-USAGE')) return undefined;
  return v;
}

const DIGIT_RE = /^[0-9*#A-D]$/;

/**
 * FreeSWITCH's DTMF event as drachtio-fsmrf hands it over ({dtmf, source}). DTMF-Source is RTP for RFC 4733
 * telephone-events and ENDPOINT for digits signalled by the endpoint (SIP INFO); INBAND_AUDIO, APP and UNKNOWN
 * are counted as in-media digits. In our topology SIP INFO ends at drachtio, so FreeSWITCH only reports RTP.
 */
export function dtmfFromFs(args: { dtmf?: unknown; source?: unknown }): DtmfEvent | null {
  if (typeof args.dtmf !== 'string') return null;
  const digit = args.dtmf.trim().toUpperCase();
  if (!DIGIT_RE.test(digit)) return null;
  const source = typeof args.source === 'string' ? args.source.toUpperCase() : '';
  return { digit, source: source === 'ENDPOINT' || source === 'INFO' ? 'sip-info' : 'rfc4733' };
}

/** What a finished playback/endless_playback reported in CHANNEL_EXECUTE_COMPLETE's Application-Response. */
export type PlaybackReport = 'played' | 'not-found' | 'error';

export function playbackReport(applicationResponse: string | undefined): PlaybackReport {
  const r = (applicationResponse ?? '').trim().toUpperCase();
  if (r === 'FILE NOT FOUND') return 'not-found';
  if (r === 'PLAYBACK ERROR' || r.startsWith('-ERR')) return 'error';
  // FILE PLAYED, or empty/anything else when the playback was broken off (uuid_break) or the channel went.
  return 'played';
}

/** The hang-up cause we report when FreeSWITCH ended a channel on its own (sched_hangup, crash, timeout). */
export function mediaGoneCause(reason: string | undefined): string {
  const r = (reason ?? '').trim();
  return r === '' ? 'media-server-hangup' : `media-server-${r.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
}

/** Multiple files as one playback: FreeSWITCH's file_string:// joins them with '!' (mod_dptools). */
export function playbackTarget(files: readonly string[]): string {
  if (files.length === 1) return files[0]!;
  return `file_string://${files.join('!')}`;
}

/**
 * The SIP address of a profile in `sofia status` ("hotline_mrf  profile  sip:mod_sofia@127.0.0.1:5080
 * RUNNING (0)"), or null when the profile is not running. drachtio-fsmrf throws — uncaught — when the profile
 * is missing, so our connector checks first.
 */
export function sofiaProfileAddress(body: string, profile: string): string | null {
  const name = profile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`^\\s*${name}\\s.*sip:mod_sofia@((?:[0-9]{1,3}\\.){3}[0-9]{1,3}:\\d+)`, 'm');
  return re.exec(body)?.[1] ?? null;
}

/**
 * FreeSWITCH's offer for an agent's leg, as the phone should get it: plain RTP only. A FreeSWITCH whose
 * rtp_secure_media is unset treats the leg as inbound and offers SRTP as "optional": the same audio twice,
 * an RTP/SAVP m-line with a=crypto and an RTP/AVP one (seen on 1.10.12). Phones answer that unevenly, and
 * after the bridge one side heard nothing, so the secure copies are dropped when a plain one is there (our
 * configuration forbids the offer in the first place; this covers an existing FreeSWITCH). An offer with
 * only secure audio is left as it is.
 */
export function plainRtpOffer(sdp: string): string {
  if (!/^m=audio \d+ RTP\/SAVPF? /m.test(sdp)) return sdp;
  const eol = sdp.includes('\r\n') ? '\r\n' : '\n';
  const lines = sdp.split(/\r?\n/);
  const sections: string[][] = [[]];
  for (const line of lines) {
    if (line.startsWith('m=')) sections.push([]);
    sections.at(-1)!.push(line);
  }
  const [session, ...media] = sections;
  const secure = (m: string[]): boolean => /^m=audio \d+ RTP\/SAVPF? /.test(m[0] ?? '');
  const plainAudio = media.filter((m) => /^m=audio \d+ RTP\/AVPF? /.test(m[0] ?? ''));
  if (plainAudio.length === 0) return sdp;
  return [...session!, ...media.filter((m) => !secure(m)).flat()].join(eol);
}

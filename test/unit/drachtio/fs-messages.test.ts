import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  dtmfFromFs,
  getvarValue,
  isApiOk,
  mediaGoneCause,
  parseFsStatus,
  parseShowChannels,
  playbackReport,
  playbackTarget,
  sofiaProfileAddress,
} from '../../../src/adapters/telephony/drachtio-freeswitch/fs-messages.js';

const fixture = (name: string): string => readFileSync(path.join(import.meta.dirname, 'fixtures', name), 'utf8');

describe("FreeSWITCH's answers, read", () => {
  it('status: sessions, limit, sessions-per-second limit, idle CPU', () => {
    expect(parseFsStatus(fixture('fs-status.txt'), 42)).toEqual({ sessions: 118, maxSessions: 1000, sessionsPerSecondMax: 30, idleCpuPct: 41.27, sampledAtMs: 42 });
    expect(parseFsStatus('-ERR no reply\n', 0)).toBeNull();
  });

  it('show channels as json: rows with uuid and creation time; none; garbage', () => {
    const rows = parseShowChannels(fixture('fs-show-channels.json'));
    expect(rows).toHaveLength(3);
    expect(rows![0]).toEqual({ uuid: '5b1e8a4c-2f0d-4c55-9f43-0c2b1d7f6a01', createdEpochSec: 1795481521, name: 'sofia/hotline_mrf/drachtio@127.0.0.1:5060' });
    expect(parseShowChannels(fixture('fs-show-channels-empty.json'))).toEqual([]);
    expect(parseShowChannels('-ERR not connected')).toBeNull();
    expect(parseShowChannels('{"rows":5}')).toBeNull();
  });

  it('sofia status: the address of a running profile, null when missing', () => {
    expect(sofiaProfileAddress(fixture('fs-sofia-status.txt'), 'hotline_mrf')).toBe('127.0.0.1:5080');
    expect(sofiaProfileAddress(fixture('fs-sofia-status.txt'), 'drachtio_mrf')).toBeNull();
    // The profile name is taken literally (a "." is not "any character").
    expect(sofiaProfileAddress(fixture('fs-sofia-status.txt'), 'hotline.mrf')).toBeNull();
  });

  it('API replies, uuid_getvar values', () => {
    expect(isApiOk('+OK Deleted: 1\n')).toBe(true);
    expect(isApiOk('-ERR No such channel!\n')).toBe(false);
    expect(isApiOk(undefined)).toBe(false);
    expect(getvarValue('media-app-1\n')).toBe('media-app-1');
    expect(getvarValue('_undef_')).toBeUndefined();
    expect(getvarValue('-ERR No such channel!')).toBeUndefined();
  });

  it('DTMF events: RTP is RFC 4733, ENDPOINT is SIP INFO; junk is dropped', () => {
    expect(dtmfFromFs({ dtmf: '5', source: 'RTP' })).toEqual({ digit: '5', source: 'rfc4733' });
    expect(dtmfFromFs({ dtmf: '#', source: 'ENDPOINT' })).toEqual({ digit: '#', source: 'sip-info' });
    expect(dtmfFromFs({ dtmf: 'a', source: 'INBAND_AUDIO' })).toEqual({ digit: 'A', source: 'rfc4733' });
    expect(dtmfFromFs({ dtmf: '55' })).toBeNull();
    expect(dtmfFromFs({})).toBeNull();
  });

  it('playback completion, hang-up causes, file lists', () => {
    expect(playbackReport('FILE PLAYED')).toBe('played');
    expect(playbackReport('FILE NOT FOUND')).toBe('not-found');
    expect(playbackReport('PLAYBACK ERROR')).toBe('error');
    expect(playbackReport(undefined)).toBe('played');
    expect(mediaGoneCause('ALLOTTED_TIMEOUT')).toBe('media-server-allotted-timeout');
    expect(mediaGoneCause(undefined)).toBe('media-server-hangup');
    expect(playbackTarget(['/p/a.wav'])).toBe('/p/a.wav');
    expect(playbackTarget(['/p/a.wav', '/p/b.wav'])).toBe('file_string:///p/a.wav!/p/b.wav');
  });
});

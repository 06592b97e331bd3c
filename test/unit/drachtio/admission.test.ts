import { describe, expect, it } from 'vitest';
import {
  FS_LOAD_MAX_AGE_MS,
  RETRY_AFTER_SEC,
  SlidingWindowCounter,
  decideAdmission,
  type AdmissionInput,
  type AdmissionLimits,
} from '../../../src/adapters/telephony/drachtio-freeswitch/admission.js';
import { parseFsStatus } from '../../../src/adapters/telephony/drachtio-freeswitch/fs-messages.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const fixture = (name: string): string => readFileSync(path.join(import.meta.dirname, 'fixtures', name), 'utf8');

const limits: AdmissionLimits = { maxCallsInSetup: 10, maxChannels: 100, minIdleCpuPct: 15, sessionsPerSecondShare: 0.8, maxEventLoopDelayMs: 250 };
const NOW = 1_000_000;
const idle: AdmissionInput = {
  nowMs: NOW,
  mediaServerUp: true,
  callsInSetup: 0,
  channels: 0,
  callsWithoutAgentChannel: 0,
  channelsOpenedLastSecond: 0,
  fsLoad: parseFsStatus(fixture('fs-status.txt'), NOW - 500)!,
  eventLoopDelayMs: 3,
};

describe('admission control', () => {
  it('admits a call when every resource it will need is there', () => {
    expect(decideAdmission(limits, idle)).toEqual({ admit: true });
  });

  it.each([
    ['media-server-down', { mediaServerUp: false }],
    ['setup-cap', { callsInSetup: 10 }],
    ['channel-cap', { channels: 97, callsWithoutAgentChannel: 2 }],
    ['event-loop', { eventLoopDelayMs: 400 }],
  ] as const)('refuses with 503 + Retry-After for %s', (reason, patch) => {
    const d = decideAdmission(limits, { ...idle, ...patch });
    expect(d).toMatchObject({ admit: false, reason, retryAfterSec: RETRY_AFTER_SEC[reason] });
    if (!d.admit) expect(d.detail.length).toBeGreaterThan(5);
  });

  it('keeps a channel for the agent of every admitted call not bridged yet', () => {
    // 96 open + 2 reserved for queued callers' agents + 2 for this call = 100: just fits; one more does not.
    expect(decideAdmission(limits, { ...idle, channels: 96, callsWithoutAgentChannel: 2 }).admit).toBe(true);
    expect(decideAdmission(limits, { ...idle, channels: 97, callsWithoutAgentChannel: 2 }).admit).toBe(false);
  });

  it("follows FreeSWITCH's own load: sessions, idle CPU, sessions per second (from a recorded status)", () => {
    const busy = parseFsStatus(fixture('fs-status-busy.txt'), NOW)!;
    expect(decideAdmission(limits, { ...idle, fsLoad: busy })).toMatchObject({ admit: false, reason: 'media-server-sessions' });
    expect(decideAdmission(limits, { ...idle, fsLoad: { ...busy, sessions: 10 } })).toMatchObject({ admit: false, reason: 'media-server-cpu' });
    // 30/s limit × 0.8 = 24 channels/s; a call opens 2: 22 opened so far still fits, 23 does not.
    const cool = { ...busy, sessions: 10, idleCpuPct: 80 };
    expect(decideAdmission(limits, { ...idle, fsLoad: cool, channelsOpenedLastSecond: 22 }).admit).toBe(true);
    expect(decideAdmission(limits, { ...idle, fsLoad: cool, channelsOpenedLastSecond: 23 })).toMatchObject({ admit: false, reason: 'media-server-rate', retryAfterSec: 1 });
  });

  it('ignores a stale FreeSWITCH load sample (our own caps still apply)', () => {
    const busy = parseFsStatus(fixture('fs-status-busy.txt'), NOW - FS_LOAD_MAX_AGE_MS - 1)!;
    expect(decideAdmission(limits, { ...idle, fsLoad: busy }).admit).toBe(true);
  });
});

describe('sliding one-second window', () => {
  it('counts the events of the last second only', () => {
    const w = new SlidingWindowCounter(1000);
    w.record(0);
    w.record(400);
    w.record(999);
    expect(w.count(999)).toBe(3);
    expect(w.count(1000)).toBe(2); // the one at 0 is exactly a second old
    expect(w.count(1400)).toBe(1);
    expect(w.count(5000)).toBe(0);
  });
});

/**
 * RTP playback benchmark: N sessions of the real WorkerMediaEngine on 127.0.0.1, each playing a looping prompt.
 *  - mode 'pairs' (default): sessions are paired and send to each other, so the media worker also receives
 *    50 packets/s per session, like a call leg hearing its caller while playing a menu. On loopback the kernel's
 *    receive path runs inside each send, so this is the heavy, conservative case.
 *  - mode 'sink': sessions send to a few plain sockets on the main thread (send-only load on the worker).
 * Called by `npm run bench -- sip`; prints nothing itself.
 */
import { createSocket, type Socket } from 'node:dgram';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RemoteMedia } from './media-engine.js';
import { encodeWavPcm16Mono8k } from './wav.js';
import { WorkerMediaEngine } from './worker-media-engine.js';

export interface RtpPlaybackBenchOptions {
  sessions: number;
  /** Measured duration, after a 1 s warm-up. */
  seconds: number;
  /** First even RTP port to use (default 30000); the range spans 2 × sessions ports. */
  portMin?: number;
  mode?: 'pairs' | 'sink';
}

export interface RtpPlaybackBenchResult {
  mode: 'pairs' | 'sink';
  sessions: number;
  /** Send lateness of paced frames (actual send − absolute deadline) during the measured window. */
  sendJitterP50Ms: number;
  sendJitterP99Ms: number;
  /** Resident memory added per session while all are playing (noisy: includes heap growth and GC timing). */
  rssPerCallKb: number;
  packetsSent: number;
  /** Received by the engine's sessions ('pairs') or by the sink sockets ('sink'). */
  packetsReceived: number;
  /** Whole-process CPU (main thread + media worker + kernel time of their syscalls), in % of one core. */
  cpuPercentOfCore: number;
  /** How busy the media worker's event loop was during the window (100 % = saturated). */
  workerBusyPercent: number;
  /** Media-clock ticks the worker had to skip because it fell more than 100 ms behind. */
  ticksSkipped: number;
}

const WARM_UP_MS = 1000;
const SESSIONS_PER_SINK = 100;

export async function measureRtpPlayback(options: RtpPlaybackBenchOptions): Promise<RtpPlaybackBenchResult> {
  const mode = options.mode ?? 'pairs';
  const sessions = mode === 'pairs' ? Math.max(2, Math.floor(options.sessions / 2) * 2) : Math.max(1, options.sessions);
  const portMin = options.portMin ?? 30_000;
  const dir = await mkdtemp(join(tmpdir(), 'hotline-bench-rtp-'));
  const engine = new WorkerMediaEngine({ host: '127.0.0.1', portMin, portMax: portMin + 2 * sessions + 200 });
  const sinks: Socket[] = [];
  let sinkPackets = 0;
  try {
    const prompt = join(dir, 'tone.wav');
    const tenSeconds = Int16Array.from({ length: 80_000 }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 8000)));
    await writeFile(prompt, encodeWavPcm16Mono8k(tenSeconds));

    await engine.start({ onDtmf: () => undefined });
    const rssBefore = process.memoryUsage().rss;
    const ids = Array.from({ length: sessions }, (_, i) => `bench-${i}`);
    const locals = [];
    for (const id of ids) locals.push(await engine.createSession(id));
    const remote = (port: number): RemoteMedia => ({ address: '127.0.0.1', port, codec: 'PCMU', payloadType: 0, direction: 'sendrecv' });
    if (mode === 'pairs') {
      for (let i = 0; i < sessions; i += 2) {
        engine.setRemote(ids[i]!, remote(locals[i + 1]!.port));
        engine.setRemote(ids[i + 1]!, remote(locals[i]!.port));
      }
    } else {
      for (let i = 0; i < Math.ceil(sessions / SESSIONS_PER_SINK); i++) {
        const sink = createSocket('udp4');
        sink.on('message', () => sinkPackets++);
        await new Promise<void>((resolve) => sink.bind(0, '127.0.0.1', resolve));
        sinks.push(sink);
      }
      ids.forEach((id, i) => engine.setRemote(id, remote(sinks[i % sinks.length]!.address().port)));
    }
    const plays = ids.map((id) => engine.play(id, [prompt], { bargeIn: false, loop: true }));

    await sleep(WARM_UP_MS);
    const start = await engine.statsNow({ resetJitter: true });
    const sinkStart = sinkPackets;
    const cpuStart = process.cpuUsage();
    const wallStart = performance.now();
    await sleep(options.seconds * 1000);
    const end = await engine.statsNow();
    const sinkEnd = sinkPackets;
    const cpu = process.cpuUsage(cpuStart);
    const wallMs = performance.now() - wallStart;
    const rssDuring = process.memoryUsage().rss;

    for (const id of ids) engine.stop(id);
    await Promise.all(plays);
    return {
      mode,
      sessions,
      sendJitterP50Ms: end.sendJitterP50Ms,
      sendJitterP99Ms: end.sendJitterP99Ms,
      rssPerCallKb: Math.round((rssDuring - rssBefore) / 1024 / sessions),
      packetsSent: end.packetsSent - start.packetsSent,
      packetsReceived: mode === 'pairs' ? end.packetsReceived - start.packetsReceived : sinkEnd - sinkStart,
      cpuPercentOfCore: Math.round(((cpu.user + cpu.system) / 1000 / wallMs) * 1000) / 10,
      ticksSkipped: end.ticksSkipped - start.ticksSkipped,
      workerBusyPercent: percent(end.workerActiveMs - start.workerActiveMs, end.workerIdleMs - start.workerIdleMs),
    };
  } finally {
    await engine.close();
    await Promise.all(sinks.map((sink) => new Promise<void>((resolve) => sink.close(() => resolve()))));
    await rm(dir, { recursive: true, force: true });
  }
}

function percent(activeMs: number, idleMs: number): number {
  return activeMs + idleMs > 0 ? Math.round((activeMs / (activeMs + idleMs)) * 1000) / 10 : 0;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * drachtio-freeswitch benchmark: SIPp calls drachtio-server, the adapter (in this process) answers each call
 * on FreeSWITCH, plays 2 s, and hangs up. Stepping the rate up, it reports the highest rate with 0 failed
 * calls (503s count as refused, not failed), the app's CPU milliseconds per call, the p99 time from the INVITE
 * reaching the app to the first RTP packet from FreeSWITCH, and what 1.5× that rate does: calls shed with 503
 * + Retry-After (admission control), or failed.
 *
 * Runs only against live servers: DRACHTIO_HOST, DRACHTIO_SECRET, FREESWITCH_HOST, FREESWITCH_SECRET (and
 * DRACHTIO_PORT, DRACHTIO_SIP_PORT, FREESWITCH_PORT, FREESWITCH_PROFILE if not the defaults), all on this
 * machine (RTP comes back to 127.0.0.1). BENCH_MEDIA_DIR: a directory FreeSWITCH can read at the same path.
 * FREESWITCH_CHANNEL_CONTROL (shared-socket, the default, or drachtio-fsmrf) picks how channels are driven.
 * Without them it prints that it skipped.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pino } from 'pino';
import wavefile from 'wavefile';
import { SystemClock } from '../adapters/clock/system-clock.js';
import { DrachtioFreeswitchCallControl } from '../adapters/telephony/drachtio-freeswitch/index.js';
import type { ChannelControl } from '../adapters/telephony/drachtio-freeswitch/types.js';
import type { InboundCall } from '../ports/call-control.js';

const REQUIRED = ['DRACHTIO_HOST', 'DRACHTIO_SECRET', 'FREESWITCH_HOST', 'FREESWITCH_SECRET'] as const;
const RATES = [10, 20, 30, 40, 50, 60, 70, 80, 100, 120];
const STEP_SEC = 10;
const PLAY_SEC = 2;

export type DrachtioBenchResult =
  | { skipped: true; reason: string }
  | {
      skipped: false;
      channelControl: ChannelControl;
      maxCleanCps: number;
      appCpuMsPerCall: number | null;
      inviteToFirstRtpP99Ms: number | null;
      overload: Step | null;
      steps: Step[];
    };

/**
 * One rate step. `failed`: calls SIPp counted as failed (timeouts, unexpected messages). `shed503`: INVITEs
 * our admission control refused (503 + Retry-After). `mediaRefused`: calls admitted, then refused with 503
 * because FreeSWITCH gave no channel (its own limits). `answered`: calls that got their 200 OK.
 */
interface Step {
  cps: number;
  offered: number;
  answered: number;
  failed: number;
  shed503: number;
  mediaRefused: number;
  appCpuMsPerCall: number | null;
  inviteToFirstRtpP99Ms: number | null;
}

const say = (json: boolean, s: string): void => void (json ? process.stderr : process.stdout).write(`${s}\n`);

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      srv.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

function run(cmd: string, args: string[], cwd: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (code) => resolve({ code: code ?? -1, out }));
  });
}

/** A caller that is answered (or refused with 503: a clean refusal, the scenario still succeeds) and waits for our BYE. */
const SCENARIO = `<?xml version="1.0" encoding="ISO-8859-1" ?>
<!DOCTYPE scenario SYSTEM "sipp.dtd">
<scenario name="answer, play 2 s, hang up">
  <send retrans="500"><![CDATA[
INVITE sip:[service]@[remote_ip]:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
From: "Bench" <sip:bench@[local_ip]:[local_port]>;tag=[pid]B[call_number]
To: <sip:[service]@[remote_ip]:[remote_port]>
Call-ID: [call_id]
CSeq: 1 INVITE
Contact: <sip:bench@[local_ip]:[local_port]>
Max-Forwards: 70
Content-Type: application/sdp
Content-Length: [len]

v=0
o=bench 1 1 IN IP4 127.0.0.1
s=-
c=IN IP4 127.0.0.1
t=0 0
m=audio [rtp_sink_port] RTP/AVP 0 8 101
a=rtpmap:0 PCMU/8000
a=rtpmap:8 PCMA/8000
a=rtpmap:101 telephone-event/8000
a=sendrecv
]]></send>
  <recv response="100" optional="true"/>
  <recv response="180" optional="true"/>
  <recv response="183" optional="true"/>
  <recv response="503" optional="true" next="refused"/>
  <recv response="200" rtd="true" rrs="true"/>
  <send><![CDATA[
ACK [next_url] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
From: "Bench" <sip:bench@[local_ip]:[local_port]>;tag=[pid]B[call_number]
To: <sip:[service]@[remote_ip]:[remote_port]>[peer_tag_param]
Call-ID: [call_id]
CSeq: 1 ACK
Max-Forwards: 70
Content-Length: 0

]]></send>
  <recv request="BYE"/>
  <send next="done"><![CDATA[
SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:]
[last_Call-ID:]
[last_CSeq:]
Content-Length: 0

]]></send>
  <label id="refused"/>
  <send><![CDATA[
ACK sip:[service]@[remote_ip]:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
From: "Bench" <sip:bench@[local_ip]:[local_port]>;tag=[pid]B[call_number]
[last_To:]
Call-ID: [call_id]
CSeq: 1 ACK
Max-Forwards: 70
Content-Length: 0

]]></send>
  <label id="done"/>
</scenario>
`;

async function failedCalls(dir: string): Promise<number> {
  const stat = await readFile(path.join(dir, 'stat.csv'), 'utf8').catch(() => '');
  const lines = stat.trim().split('\n');
  const header = lines[0]?.split(';') ?? [];
  const last = lines.at(-1)?.split(';') ?? [];
  const i = header.indexOf('FailedCall(C)');
  const n = i >= 0 ? Number(last[i]) : Number.NaN;
  return Number.isFinite(n) ? n : -1;
}

const p99 = (xs: number[]): number | null => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor(s.length * 0.99))]! * 10) / 10;
};

/** `--name=value` from the bench's arguments. */
function flag(args: string[], name: string): string | undefined {
  return args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}

export async function drachtioBench(opts: { json: boolean; args: string[] }): Promise<DrachtioBenchResult> {
  const env = process.env;
  // --rates=10,20,30: the steps (calls/s) instead of the default ladder.
  const rates = flag(opts.args, 'rates')?.split(',').map(Number).filter((n) => Number.isInteger(n) && n > 0) ?? RATES;
  // --min-idle-cpu=N: FreeSWITCH reports the whole machine's idle CPU; on a machine shared with other work, a
  // lower floor (0 turns the check off) measures this stack rather than its neighbours.
  const minIdleCpuPct = Number(flag(opts.args, 'min-idle-cpu') ?? 10);
  const missing = REQUIRED.filter((n) => !env[n]);
  if (missing.length > 0) {
    const reason = `drachtio bench skipped: no live drachtio-server/FreeSWITCH configured (set ${missing.join(', ')})`;
    say(opts.json, reason);
    return { skipped: true, reason };
  }
  const json = opts.json;
  const control = env['FREESWITCH_CHANNEL_CONTROL'] ?? 'shared-socket';
  if (control !== 'shared-socket' && control !== 'drachtio-fsmrf') throw new Error(`FREESWITCH_CHANNEL_CONTROL must be shared-socket or drachtio-fsmrf, got "${control}"`);
  const channelControl: ChannelControl = control;
  const work = await mkdtemp(path.join(env['BENCH_MEDIA_DIR'] ?? tmpdir(), 'bench-drachtio-'));
  const prompt = path.join(work, 'prompt-2s.wav');
  const wav = new wavefile.WaveFile();
  wav.fromScratch(1, 8000, '16', Int16Array.from({ length: 8000 * PLAY_SEC }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 8000))));
  await writeFile(prompt, wav.toBuffer());

  // RTP sink, in a child process: every FreeSWITCH channel sends from its own port, and its first packet ends that
  // call's wait. Receiving 50 packets/s of every call here would bill the bench's own work as the app's CPU.
  const sink = await startRtpSink();
  const invitedAt = new Map<number, number>(); // FreeSWITCH RTP port → when the INVITE reached us (epoch ms)
  const firstPacketAt = new Map<number, number>(); // FreeSWITCH RTP port → its first packet (epoch ms)
  const firstRtpMs: number[] = [];
  const settleWait = (port: number): void => {
    const t0 = invitedAt.get(port);
    const t1 = firstPacketAt.get(port);
    if (t0 === undefined || t1 === undefined) return;
    firstRtpMs.push(t1 - t0);
    invitedAt.delete(port);
    firstPacketAt.delete(port);
  };
  sink.onFirstPacket((port, atMs) => {
    firstPacketAt.set(port, atMs);
    settleWait(port);
  });

  const clock = new SystemClock();
  const cc = new DrachtioFreeswitchCallControl({
    drachtio: { host: env['DRACHTIO_HOST']!, port: Number(env['DRACHTIO_PORT'] ?? 9022), secret: env['DRACHTIO_SECRET']!, reconnectMaxDelayMs: 2000 },
    freeswitch: {
      host: env['FREESWITCH_HOST']!,
      port: Number(env['FREESWITCH_PORT'] ?? 8021),
      secret: env['FREESWITCH_SECRET']!,
      listenAddress: '127.0.0.1',
      channelControl,
      profile: env['FREESWITCH_PROFILE'] ?? 'hotline_mrf',
      maxChannels: 1000,
      safetyHangupSec: 120,
      instanceId: 'hotline-bench',
    },
    admission: { maxCallsInSetup: 100, minIdleCpuPct, sessionsPerSecondShare: 0.8, maxEventLoopDelayMs: 250 },
    logger: pino({ level: env['HOTLINE_LOG_LEVEL'] ?? 'warn' }),
    clock,
  });
  let answered = 0;
  let mediaRefused = 0;
  const onCall = (call: InboundCall): void => {
    const t0 = performance.timeOrigin + performance.now();
    void (async () => {
      await call.answer();
      if (call.ended) {
        mediaRefused += 1; // answer() also settles when the call ended instead (no FreeSWITCH channel)
        return;
      }
      // The FreeSWITCH side of the caller's media: its SDP names the port its RTP comes from.
      const sdp = (call as unknown as { fsChannel?: { localSdp?: string } }).fsChannel?.localSdp ?? '';
      const port = Number(/^m=audio (\d+)/m.exec(sdp)?.[1]);
      if (Number.isInteger(port)) {
        invitedAt.set(port, t0);
        settleWait(port);
      }
      answered += 1;
      await call.play([prompt]);
      await call.hangup('bench-done');
    })().catch(() => undefined);
  };
  await cc.start({ onInboundCall: onCall, registrar: { handleRegister: () => ({ status: 403, reason: 'Forbidden', headers: [] }), contactOf: () => undefined, onChange: () => undefined, close: () => undefined } });
  const target = `127.0.0.1:${env['DRACHTIO_SIP_PORT'] ?? 5060}`;
  const scenarioDir = await mkdtemp(path.join(tmpdir(), 'bench-sipp-'));
  await writeFile(path.join(scenarioDir, 'answer-play.xml'), SCENARIO);

  const shedTotal = (): number => Object.values((cc.health().details['admission'] as { shed: Record<string, number> }).shed).reduce((a, b) => a + b, 0);

  async function step(cps: number): Promise<Step> {
    const calls = cps * STEP_SEC;
    const dir = await mkdtemp(path.join(tmpdir(), 'bench-step-'));
    const shedBefore = shedTotal();
    const answeredBefore = answered;
    const refusedBefore = mediaRefused;
    const rtpBefore = firstRtpMs.length;
    const cpu0 = process.cpuUsage();
    const r = await run(
      'sipp',
      ['-sf', path.join(scenarioDir, 'answer-play.xml'), '-s', '4009000000', '-i', '127.0.0.1', '-p', String(await freePort()), '-r', String(cps), '-m', String(calls), '-l', String(cps * (PLAY_SEC + 4)), '-key', 'rtp_sink_port', String(sink.port), '-nostdin', '-timeout', `${STEP_SEC + PLAY_SEC + 30}s`, '-timeout_error', '-trace_stat', '-stf', 'stat.csv', target],
      dir,
    );
    const cpu = process.cpuUsage(cpu0);
    const done = answered - answeredBefore;
    const failed = r.code === 0 ? 0 : Math.max(1, await failedCalls(dir));
    const shed503 = shedTotal() - shedBefore;
    const refused = mediaRefused - refusedBefore;
    const appCpuMsPerCall = done > 0 ? Math.round(((cpu.user + cpu.system) / 1000 / done) * 100) / 100 : null;
    const rtpP99 = p99(firstRtpMs.slice(rtpBefore));
    say(
      json,
      `  ${cps} calls/s × ${STEP_SEC} s: ${done} answered, ${shed503} refused with 503 (admission), ${refused} refused with 503 (FreeSWITCH gave no channel), ${failed} failed; app CPU ${appCpuMsPerCall ?? '-'} ms/call; INVITE → first RTP p99 ${rtpP99 ?? '-'} ms`,
    );
    await new Promise((res) => setTimeout(res, (PLAY_SEC + 2) * 1000)); // let the last calls finish
    return { cps, offered: calls, answered: done, failed, shed503, mediaRefused: refused, appCpuMsPerCall, inviteToFirstRtpP99Ms: rtpP99 };
  }

  const steps: Step[] = [];
  let best: Step | undefined;
  let overload: Step | null = null;
  try {
    say(json, `SIPp → drachtio-server (${target}) → hotline (${channelControl}) → FreeSWITCH, "answer, play ${PLAY_SEC} s, hang up":`);
    for (const cps of rates) {
      const s = await step(cps);
      steps.push(s);
      if (s.failed > 0 || s.shed503 > 0 || s.mediaRefused > 0) break;
      best = s;
    }
    if (best !== undefined) {
      const cps = Math.round(best.cps * 1.5);
      say(json, `1.5 × ${best.cps} = ${cps} calls/s:`);
      overload = await step(cps);
    }
  } finally {
    await cc.close();
    clock.close();
    sink.close();
  }
  const result: DrachtioBenchResult = {
    skipped: false,
    channelControl,
    maxCleanCps: best?.cps ?? 0,
    appCpuMsPerCall: best?.appCpuMsPerCall ?? null,
    inviteToFirstRtpP99Ms: best?.inviteToFirstRtpP99Ms ?? null,
    overload,
    steps,
  };
  if (!json) {
    say(json, `\nhighest rate with 0 failed calls: ${result.maxCleanCps} calls/s; app CPU ${result.appCpuMsPerCall} ms/call; INVITE → first RTP p99 ${result.inviteToFirstRtpP99Ms} ms`);
    if (overload) say(json, `at ${overload.cps} calls/s: ${overload.shed503} + ${overload.mediaRefused} refused with 503, ${overload.failed} failed, ${overload.answered} answered`);
  }
  return result;
}

/** What the sink's child prints: `PORT <n>` once bound, then `<port> <epoch ms>` for each port's first packet. */
const SINK_SCRIPT = `
const s = require('node:dgram').createSocket('udp4');
const { performance } = require('node:perf_hooks');
const seen = new Set();
s.on('message', (_m, r) => {
  if (seen.has(r.port)) return;
  seen.add(r.port);
  process.stdout.write(r.port + ' ' + (performance.timeOrigin + performance.now()) + '\\n');
});
s.bind(0, '127.0.0.1', () => process.stdout.write('PORT ' + s.address().port + '\\n'));
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
`;

interface RtpSink {
  port: number;
  onFirstPacket(fn: (port: number, atMs: number) => void): void;
  close(): void;
}

/** A UDP sink on 127.0.0.1 in a child process, reporting the time of each sending port's first packet. */
async function startRtpSink(): Promise<RtpSink> {
  const child = spawn(process.execPath, ['-e', SINK_SCRIPT], { stdio: ['pipe', 'pipe', 'inherit'] });
  let listener: (port: number, atMs: number) => void = () => undefined;
  let buffered = '';
  const port = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`RTP sink exited (${code ?? 'signal'})`)));
    child.stdout.on('data', (d: Buffer) => {
      buffered += d.toString();
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        const [a, b] = line.split(' ');
        if (a === 'PORT') resolve(Number(b));
        else listener(Number(a), Number(b));
      }
    });
  });
  return {
    port,
    onFirstPacket: (fn) => (listener = fn),
    close: () => {
      child.stdin.end();
      child.kill();
    },
  };
}

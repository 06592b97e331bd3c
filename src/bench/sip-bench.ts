/**
 * SIP benchmark: the highest call-setup rate (INVITE → 200 → ACK → BYE) SIPp drives through the engine with 0
 * failed calls, beside SIPp's own UAS rate on this machine in the same run; then N concurrent callers in prompt
 * playback with the engine's RTP send jitter and resident memory per call. Everything on 127.0.0.1.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BENCH_NUMBER = '4009000000';
/** The always-open skeleton menu: callers hear the greeting and menu whatever the hour. */
const PLAYBACK_NUMBER = '4009000001';
const RATES = [50, 100, 200, 300, 400, 600, 800, 1000, 1500, 2000, 3000, 4000];
const STEP_SEC = 3;

export interface SipBenchResult {
  setupCps: number;
  failedCalls: number;
  sippUasCps: number;
  concurrentCalls: number;
  rtpJitterP50Ms: number | null;
  rtpJitterP99Ms: number | null;
  rssPerCallKb: number | null;
}

const round2 = (n: number): number => Math.round(n * 100) / 100;

const say = (json: boolean, s: string): void => {
  (json ? process.stderr : process.stdout).write(`${s}\n`);
};

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

function run(cmd: string, args: string[], opts: { cwd?: string } = {}): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: opts.cwd ?? tmpdir(), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (code) => resolve({ code: code ?? -1, out }));
  });
}

/** One step of SIPp uac at `rate` calls/s for STEP_SEC seconds; returns the failed-call count (0 = clean). */
async function sippStep(target: string, rate: number, service: string): Promise<number> {
  const calls = rate * STEP_SEC;
  const port = await freePort();
  const dir = await mkdtemp(path.join(tmpdir(), 'bench-sipp-'));
  const r = await run('sipp', ['-sn', 'uac', '-s', service, '-i', '127.0.0.1', '-p', String(port), '-mi', '127.0.0.1', '-r', String(rate), '-m', String(calls), '-l', String(rate * 4), '-d', '0', '-nostdin', '-timeout', `${STEP_SEC * 4 + 10}s`, '-timeout_error', '-trace_stat', '-stf', 'stat.csv', target], { cwd: dir });
  if (r.code === 0) return 0;
  const stat = await readFile(path.join(dir, 'stat.csv'), 'utf8').catch(() => '');
  const lines = stat.trim().split('\n');
  const header = lines[0]?.split(';') ?? [];
  const last = lines.at(-1)?.split(';') ?? [];
  const idx = header.indexOf('FailedCall(C)');
  const failed = idx >= 0 ? Number(last[idx]) : Number.NaN;
  return Number.isFinite(failed) && failed > 0 ? failed : Math.max(1, calls);
}

async function maxCleanRate(target: string, service: string, json: boolean, label: string): Promise<{ rate: number; failedAtNext: number }> {
  let best = 0;
  for (const rate of RATES) {
    const failed = await sippStep(target, rate, service);
    say(json, `  ${label}: ${rate} calls/s for ${STEP_SEC} s → ${failed === 0 ? 'all completed' : `${failed} failed`}`);
    if (failed > 0) return { rate: best, failedAtNext: failed };
    best = rate;
  }
  return { rate: best, failedAtNext: 0 };
}

async function rssKb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const m = /VmRSS:\s+(\d+) kB/.exec(status);
  return m ? Number(m[1]) : Number.NaN;
}

async function startEngine(): Promise<{ child: ChildProcess; sipPort: number; httpPort: number; stop: () => Promise<void> }> {
  const work = await mkdtemp(path.join(tmpdir(), 'bench-engine-'));
  const configDir = path.join(work, 'config');
  const flowsDir = path.join(work, 'ivr-flows');
  await cp(path.join(ROOT, 'config'), configDir, { recursive: true });
  await cp(path.join(ROOT, 'ivr-flows'), flowsDir, { recursive: true });
  await cp(path.join(ROOT, 'bench/flows/bench-answer.yaml'), path.join(flowsDir, 'bench-answer.yaml'));
  await cp(path.join(ROOT, 'ivr-flows/examples/skeleton-400.yaml'), path.join(flowsDir, 'skeleton-400.yaml'));
  let yaml = await readFile(path.join(configDir, 'hotline.yaml'), 'utf8');
  yaml = yaml
    .replace(/^flowsDir: .*$/m, `flowsDir: ${flowsDir}`)
    .replace(/^promptsDir: .*$/m, `promptsDir: ${path.join(ROOT, 'prompts')}`)
    .replace(/^numbers:\n/m, `numbers:\n  "${BENCH_NUMBER}": bench-answer\n  "${PLAYBACK_NUMBER}": skeleton-400\n`);
  await writeFile(path.join(configDir, 'hotline.yaml'), yaml);
  const sipPort = await freePort();
  const httpPort = await freePort();
  const child = spawn(process.execPath, [path.join(ROOT, 'dist/cli/main.js'), 'serve'], {
    env: { ...process.env, HOTLINE_CONFIG_DIR: configDir, HOTLINE_DATA_DIR: path.join(work, 'var'), HOTLINE_SIP_PORT: String(sipPort), HOTLINE_HTTP_PORT: String(httpPort), HOTLINE_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  for (let i = 0; i < 200; i += 1) {
    const ok = await fetch(`http://127.0.0.1:${httpPort}/health`).then((r) => r.ok, () => false);
    if (ok) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    child,
    sipPort,
    httpPort,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export async function sipBench(opts: { json: boolean; args: string[] }): Promise<SipBenchResult> {
  const { json } = opts;
  const callsArg = opts.args.find((a) => a.startsWith('--calls='));
  const concurrent = callsArg ? Number(callsArg.split('=')[1]) : 500;

  say(json, 'SIPp → SIPp UAS (the machine\'s reference):');
  const uasPort = await freePort();
  const uas = spawn('sipp', ['-sn', 'uas', '-i', '127.0.0.1', '-p', String(uasPort), '-nostdin'], { stdio: 'ignore', cwd: tmpdir() });
  await new Promise((r) => setTimeout(r, 500));
  const sippRef = await maxCleanRate(`127.0.0.1:${uasPort}`, 'bench', json, 'sipp uas');
  uas.kill('SIGKILL');

  say(json, 'SIPp → hotline engine (answers, no media):');
  const setupEngine = await startEngine();
  let setup: { rate: number; failedAtNext: number };
  try {
    setup = await maxCleanRate(`127.0.0.1:${setupEngine.sipPort}`, BENCH_NUMBER, json, 'engine');
  } finally {
    await setupEngine.stop();
  }

  // A fresh engine, so that calls left over from the overload step above do not skew the figures.
  say(json, `${concurrent} concurrent callers hearing the greeting and menu:`);
  const engine = await startEngine();
  let result: SipBenchResult;
  try {
    const pid = engine.child.pid as number;
    await new Promise((r) => setTimeout(r, 1000));
    const idleRss = await rssKb(pid);
    const holdPort = await freePort();
    const holdDir = await mkdtemp(path.join(tmpdir(), 'bench-hold-'));
    const rampRate = 100;
    const rampMs = Math.ceil((concurrent / rampRate) * 1000);
    const holdMs = rampMs + 8000;
    const hold = run('sipp', ['-sf', path.join(ROOT, 'bench/scenarios/caller-hold.xml'), '-s', PLAYBACK_NUMBER, '-i', '127.0.0.1', '-p', String(holdPort), '-mi', '127.0.0.1', '-r', String(rampRate), '-m', String(concurrent), '-l', String(concurrent), '-d', String(holdMs), '-nostdin', '-timeout', `${Math.ceil(holdMs / 1000) + 60}s`, `127.0.0.1:${engine.sipPort}`], { cwd: holdDir });
    await new Promise((r) => setTimeout(r, rampMs + 1000));
    // The engine's jitter histogram accumulates from its start; on this fresh engine every sample comes from
    // calls in prompt playback.
    await new Promise((r) => setTimeout(r, 4000));
    const health = (await (await fetch(`http://127.0.0.1:${engine.httpPort}/health`)).json()) as { activeCalls: number; telephony: { details: { media?: { sessions: number; sendJitterP50Ms: number; sendJitterP99Ms: number } } } };
    const busyRss = await rssKb(pid);
    const holdRun = await hold;
    const media = health.telephony.details.media;
    result = {
      setupCps: setup.rate,
      failedCalls: 0,
      sippUasCps: sippRef.rate,
      concurrentCalls: health.activeCalls,
      rtpJitterP50Ms: media ? round2(media.sendJitterP50Ms) : null,
      rtpJitterP99Ms: media ? round2(media.sendJitterP99Ms) : null,
      rssPerCallKb: health.activeCalls > 0 ? Math.round((busyRss - idleRss) / health.activeCalls) : null,
    };
    if (holdRun.code !== 0) say(json, `  note: the concurrent-call SIPp run exited ${holdRun.code}:\n${holdRun.out.slice(0, 800)}`);
  } finally {
    await engine.stop();
  }
  if (!json) {
    say(json, `\nsetup rate with 0 failed calls: ${result.setupCps} calls/s (SIPp's own UAS: ${result.sippUasCps} calls/s)`);
    say(json, `concurrent calls in playback: ${result.concurrentCalls}, RTP send jitter p50 ${result.rtpJitterP50Ms} ms, p99 ${result.rtpJitterP99Ms} ms, ${result.rssPerCallKb} kB RSS per call`);
  }
  return result;
}

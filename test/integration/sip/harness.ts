/** Shared helpers of the SIP integration tests: free ports, a SIPp runner, an adapter under test. */
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino, { type Logger } from 'pino';
import { BuiltinCallControl } from '../../../src/adapters/telephony/builtin/builtin-call-control.js';
import type { SipTiming } from '../../../src/adapters/telephony/builtin/sip/timers.js';
import { SipRegistrar } from '../../../src/app/registrar/sip-registrar.js';
import type { InboundCall } from '../../../src/ports/call-control.js';
import type { Clock } from '../../../src/ports/clock.js';
import { FakeMediaEngine, FakeSdpNegotiator } from './fake-media.js';

export const SCENARIOS = join(dirname(fileURLToPath(import.meta.url)), 'scenarios');

export const systemClock: Clock = {
  nowMs: () => Date.now(),
  setTimer: (delayMs, fn) => {
    const t = setTimeout(fn, delayMs);
    return { cancel: () => clearTimeout(t) };
  },
};

/** A port free for both UDP and TCP on 127.0.0.1 right now (the OS picks it). */
export async function freePort(): Promise<number> {
  for (;;) {
    const udp = dgram.createSocket('udp4');
    const port = await new Promise<number>((resolve, reject) => {
      udp.once('error', reject);
      udp.bind(0, '127.0.0.1', () => resolve(udp.address().port));
    });
    const tcpFree = await new Promise<boolean>((resolve) => {
      const srv = net.createServer();
      srv.once('error', () => resolve(false));
      srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
    });
    await new Promise<void>((resolve) => udp.close(() => resolve()));
    if (tcpFree) return port;
  }
}

export interface SippResult {
  code: number | null;
  stdout: string;
  stderr: string;
  errors: string;
}

/**
 * Runs SIPp against 127.0.0.1 and resolves when it exits (exit code 0 = every call succeeded).
 * Error traces go to a temp folder, returned for assertion messages.
 */
export async function runSipp(args: string[], opts: { timeoutSec?: number } = {}): Promise<SippResult> {
  const dir = await mkdtemp(join(tmpdir(), 'hotline-sipp-'));
  const errorFile = join(dir, 'errors.log');
  const mediaPort = await freePort();
  // Without -p SIPp takes 5060: give it a free port so tests can run side by side.
  const ownPort = args.includes('-p') ? [] : ['-p', String(await freePort())];
  const full = [
    ...ownPort,
    '-nostdin',
    '-i', '127.0.0.1',
    '-mp', String(mediaPort),
    '-timeout', `${opts.timeoutSec ?? 15}s`,
    '-timeout_error',
    '-trace_err', '-error_file', errorFile,
    ...args,
  ];
  const child = spawn('sipp', full, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  let errors = '';
  for (const f of await readdir(dir)) if (f.endsWith('.log')) errors += await readFile(join(dir, f), 'utf8');
  await rm(dir, { recursive: true, force: true });
  return { code, stdout: stdout.slice(-2000), stderr: stderr.slice(-2000), errors: errors.slice(-4000) };
}

/** Waits until a TCP server answers on the port (SIPp UAS startup over TCP). */
export async function waitForTcpListen(port: number, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port }, () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    await sleep(50);
  }
  throw new Error(`nothing listens on tcp ${port}`);
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export const PASSWORDS: Record<string, string> = { '1001': 'pw-1001-secret', '1002': 'pw-1002-secret' };

export interface Harness {
  cc: BuiltinCallControl;
  media: FakeMediaEngine;
  registrar: SipRegistrar;
  calls: InboundCall[];
  logs: Array<Record<string, unknown>>;
  logger: Logger;
  port: number;
  close(): Promise<void>;
}

/** A BuiltinCallControl on 127.0.0.1 (free port), fake media, a real registrar, and an app callback. */
export async function startHarness(opts: {
  onCall?: (call: InboundCall) => void;
  udp?: boolean;
  tcp?: boolean;
  answerTimeoutSec?: number;
  timing?: Partial<SipTiming>;
  throttle?: { maxFailures?: number; windowSec?: number; blockSec?: number };
}): Promise<Harness> {
  const logs: Array<Record<string, unknown>> = [];
  const logger = pino(
    { level: process.env['TEST_LOG_LEVEL'] ?? 'debug' },
    { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) },
  );
  const media = new FakeMediaEngine();
  const registrar = new SipRegistrar({
    realm: 'hotline.test',
    clock: systemClock,
    credentials: (id) => PASSWORDS[id],
    ...(opts.throttle !== undefined ? { throttle: opts.throttle } : {}),
    logger,
  });
  const cc = new BuiltinCallControl({
    sip: {
      host: '127.0.0.1',
      port: 0,
      udp: opts.udp ?? true,
      tcp: opts.tcp ?? true,
      ...(opts.timing !== undefined ? { timing: opts.timing } : {}),
    },
    logger,
    media,
    sdp: new FakeSdpNegotiator(),
    ...(opts.answerTimeoutSec !== undefined ? { answerTimeoutSec: opts.answerTimeoutSec } : {}),
  });
  const calls: InboundCall[] = [];
  await cc.start({
    registrar,
    onInboundCall: (call) => {
      calls.push(call);
      opts.onCall?.(call);
    },
  });
  return {
    cc,
    media,
    registrar,
    calls,
    logs,
    logger,
    port: cc.port,
    close: async () => {
      await cc.close();
      registrar.close();
    },
  };
}

/** Polls a condition (for effects that follow a network message). */
export async function until(cond: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

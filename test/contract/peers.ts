/**
 * Real SIP peers for the contract suite, on 127.0.0.1 only: a baresip caller that dials headless (`-e /dial`)
 * and records what it hears, an inbound-call queue, and sox measurements of recordings.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { InboundCall } from '../../src/ports/call-control.js';
import { freePort } from '../support/ports.js';
import { writeBaresipConfig } from '../support/baresip.js';

export interface BaresipCaller {
  dir: string;
  /** What the caller heard (sndfile's *-dec.wav), once the call is over. */
  heard(): Promise<string>;
  stop(): Promise<void>;
}

/** A softphone that calls `number` at the adapter's SIP address at once, sending `voiceFile` as its voice. */
export async function startBaresipCaller(opts: { workDir: string; target: { host: string; port: number }; number: string; voiceFile: string }): Promise<BaresipCaller> {
  const dir = await mkdtemp(path.join(opts.workDir, 'caller-'));
  const recDir = path.join(dir, 'rec');
  await mkdir(recDir);
  const sipPort = await freePort();
  await writeBaresipConfig(dir, { sipPort, voiceFile: opts.voiceFile, recDir });
  // regint=0: a caller, not a registered phone.
  await writeFile(path.join(dir, 'accounts'), `<sip:13800138000@127.0.0.1>;regint=0\n`);
  const log = createWriteStream(path.join(dir, 'baresip.log'));
  const child: ChildProcess = spawn('baresip', ['-f', dir, '-e', `/dial sip:${opts.number}@${opts.target.host}:${opts.target.port}`], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
    log.end();
  };
  return {
    dir,
    stop,
    async heard() {
      await stop();
      const files = (await readdir(recDir)).filter((f) => f.endsWith('-dec.wav')).sort();
      if (files.length === 0) throw new Error(`baresip recorded nothing; see ${path.join(dir, 'baresip.log')}`);
      return path.join(recDir, files.at(-1)!);
    },
  };
}

/** Inbound calls in arrival order, awaited one at a time by the tests. */
export class CallQueue {
  private readonly waiting: InboundCall[] = [];
  private readonly takers: Array<(c: InboundCall) => void> = [];

  push(call: InboundCall): void {
    const taker = this.takers.shift();
    if (taker) taker(call);
    else this.waiting.push(call);
  }

  next(timeoutMs = 10_000): Promise<InboundCall> {
    const ready = this.waiting.shift();
    if (ready) return Promise.resolve(ready);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const i = this.takers.indexOf(take);
        if (i >= 0) this.takers.splice(i, 1);
        reject(new Error(`no inbound call within ${timeoutMs} ms`));
      }, timeoutMs);
      const take = (c: InboundCall): void => {
        clearTimeout(timer);
        resolve(c);
      };
      this.takers.push(take);
    });
  }

  /** Calls left over from a test (a failed one): ended so the next test starts clean. */
  async drain(): Promise<void> {
    for (const c of this.waiting.splice(0)) await c.hangup('test-cleanup').catch(() => undefined);
  }
}

/** Resolves with the first hang-up event of a leg. */
export function hangupOf(leg: { onHangup(fn: (e: { by: 'remote' | 'local'; cause: string }) => void): void }): Promise<{ by: 'remote' | 'local'; cause: string }> {
  return new Promise((resolve) => leg.onHangup(resolve));
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

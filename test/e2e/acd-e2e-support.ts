/** Shared by the ACD e2e tests: the event log, agent states, a SIPp callee (UAS) on a chosen port. */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Engine } from '../support/engine-process.js';
import { freePort } from '../support/ports.js';
import { SCENARIOS } from '../support/sipp.js';
import { startBaresip, type Baresip } from '../support/baresip.js';
import { waitFor } from '../support/ports.js';
import type { HotlineEvent } from '../../src/domain/metrics/events.js';

export async function eventsOf(engine: Engine): Promise<HotlineEvent[]> {
  const dir = path.join(engine.dataDir, 'events');
  const files = (await readdir(dir)).filter((f) => f.endsWith('.jsonl')).sort();
  const lines = (await Promise.all(files.map((f) => readFile(path.join(dir, f), 'utf8')))).join('').split('\n').filter(Boolean);
  return lines.map((l) => JSON.parse(l) as HotlineEvent);
}

export function ofType<T extends HotlineEvent['type']>(events: readonly HotlineEvent[], type: T): Array<Extract<HotlineEvent, { type: T }>> {
  return events.filter((e): e is Extract<HotlineEvent, { type: T }> => e.type === type);
}

export async function agentState(engine: Engine, id: string): Promise<{ state: string; reason?: string; registered: boolean }> {
  const r = await engine.api<{ agents: Array<{ id: string; state: string; reason?: string; registered: boolean }> }>('GET', '/api/agents');
  const a = r.body.agents.find((x) => x.id === id);
  if (!a) throw new Error(`no agent ${id}`);
  return a;
}

/**
 * A sample agent's softphone (baresip, password `secret-<id>` as in config/agents.yaml) registered to the engine,
 * auto-answering, sending `voiceFile`; resolves once the engine shows the agent available.
 */
export async function startReadyAgent(engine: Engine, agentId: string, voiceFile: string, opts: { control?: boolean } = {}): Promise<Baresip> {
  const phone = await startBaresip({ agentId, password: `secret-${agentId}`, engineSipPort: engine.sipPort, autoAnswer: true, voiceFile, ...opts });
  await waitFor(`agent ${agentId} available`, async () => ((await agentState(engine, agentId)).state === 'available' ? true : undefined), 15_000);
  return phone;
}

/** Keeps only `names` of the sample's queues' settings that would disturb a test (sticky agent, announcements). */
export function quietQueues(yaml: string): string {
  return yaml
    .replace(/^\s*sticky:.*\n/gm, '')
    .replace(/ringTimeoutSec: 15/g, 'ringTimeoutSec: 3')
    .replace(/wrapupSec: 10/g, 'wrapupSec: 1');
}

export interface SippUas {
  port: number;
  /** Resolves with SIPp's exit code (0: the scenario passed). */
  done: Promise<{ code: number; output: string }>;
  stop(): void;
}

/** A SIPp UAS (a caller's phone behind a trunk) on 127.0.0.1:<port>, for one call. */
export async function startSippUas(scenario: string, port: number, timeoutSec = 120): Promise<SippUas> {
  const dir = await mkdtemp(path.join(tmpdir(), 'sipp-uas-'));
  const mediaPort = await freePort();
  const args = ['-sf', path.join(SCENARIOS, scenario), '-i', '127.0.0.1', '-p', String(port), '-mi', '127.0.0.1', '-mp', String(mediaPort), '-m', '1', '-nostdin', '-rtp_echo', '-timeout', `${timeoutSec}s`, '-timeout_error', '-trace_err', '-error_file', path.join(dir, 'errors.log')];
  const child = spawn('sipp', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const done = new Promise<{ code: number; output: string }>((resolve) => {
    child.on('close', (code) => {
      void readFile(path.join(dir, 'errors.log'), 'utf8')
        .catch(() => '')
        .then((errors) => resolve({ code: code ?? -1, output: `${output.slice(-3000)}\n${errors.slice(-3000)}` }));
    });
  });
  return { port, done, stop: () => void child.kill('SIGTERM') };
}

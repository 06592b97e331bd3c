/**
 * Starts the real engine (`node dist/cli/main.js serve`, built by the test command) as a child process on
 * 127.0.0.1 with its own ports, config copy and data dir, and stops it. Logs go to <dataDir>/engine.log.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, writeFile, cp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, portBlock, waitFor } from './ports.js';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const CLI = path.join(ROOT, 'dist/cli/main.js');

/**
 * Numbers of the test deployment: 4008208820 is the walking skeleton's always-open menu (1 sales, 2 support;
 * ivr-flows/examples/skeleton-400.yaml), so call tests do not depend on the hour they run at; 4008208821 is the
 * shipped sample, ivr-flows/hotline-400.yaml.
 */
export const SKELETON_NUMBER = '4008208820';
export const SAMPLE_NUMBER = '4008208821';

export interface EngineOptions {
  /** Edits the copied config/hotline.yaml text before start. */
  editHotline?: (yaml: string) => string;
  /** Edits the engine's copy of the flows folder before start. */
  prepareFlows?: (flowsDir: string) => Promise<void>;
  env?: Record<string, string>;
}

export interface Engine {
  sipPort: number;
  httpPort: number;
  dataDir: string;
  configDir: string;
  /** The engine's own copy of ivr-flows/ plus the skeleton menu; tests may edit it (hot reload). */
  flowsDir: string;
  baseUrl: string;
  logFile: string;
  api<T = unknown>(method: string, url: string, body?: unknown): Promise<{ status: number; body: T }>;
  /** Runs the CLI against this engine's data dir. */
  cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  stop(): Promise<number | null>;
}

export async function startEngine(opts: EngineOptions = {}): Promise<Engine> {
  const work = await mkdtemp(path.join(tmpdir(), 'hotline-e2e-'));
  const configDir = path.join(work, 'config');
  const dataDir = path.join(work, 'var');
  const flowsDir = path.join(work, 'ivr-flows');
  await cp(path.join(ROOT, 'config'), configDir, { recursive: true });
  await cp(path.join(ROOT, 'ivr-flows'), flowsDir, { recursive: true });
  await cp(path.join(ROOT, 'ivr-flows/examples/skeleton-400.yaml'), path.join(flowsDir, 'skeleton-400.yaml'));
  await opts.prepareFlows?.(flowsDir);
  const hotlineFile = path.join(configDir, 'hotline.yaml');
  let yaml = await readFile(hotlineFile, 'utf8');
  yaml = yaml
    .replace(/^flowsDir: .*$/m, `flowsDir: ${flowsDir}`)
    .replace(/^promptsDir: .*$/m, `promptsDir: ${path.join(ROOT, 'prompts')}`)
    .replace(/^numbers:\n(?: {2}.*\n)+/m, `numbers:\n  "${SKELETON_NUMBER}": skeleton-400\n  "${SAMPLE_NUMBER}": hotline-400\n`);
  if (opts.editHotline) yaml = opts.editHotline(yaml);
  await writeFile(hotlineFile, yaml);
  const sipPort = await freePort();
  const httpPort = await freePort();
  const rtp = portBlock(400, 20000, 30000);
  const env = {
    ...process.env,
    HOTLINE_CONFIG_DIR: configDir,
    HOTLINE_DATA_DIR: dataDir,
    HOTLINE_SIP_PORT: String(sipPort),
    HOTLINE_HTTP_PORT: String(httpPort),
    HOTLINE_RTP_PORT_MIN: String(rtp.min),
    HOTLINE_RTP_PORT_MAX: String(rtp.max),
    HOTLINE_LOG_LEVEL: 'debug',
    ...opts.env,
  };
  const logFile = path.join(work, 'engine.log');
  const log = createWriteStream(logFile);
  const child: ChildProcess = spawn(process.execPath, [CLI, 'serve'], { env, cwd: work, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const baseUrl = `http://127.0.0.1:${httpPort}`;
  let dead = false;
  void exited.then(() => (dead = true));
  await waitFor('engine /health', async () => {
    if (dead) throw new Error(`engine exited early; see ${logFile}`);
    const r = await fetch(`${baseUrl}/health`);
    return r.ok ? true : undefined;
  }, 20_000);

  const api: Engine['api'] = async (method, url, body) => {
    const r = await fetch(`${baseUrl}${url}`, {
      method,
      ...(body !== undefined ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}),
    });
    const text = await r.text();
    return { status: r.status, body: (text ? JSON.parse(text) : undefined) as never };
  };

  return {
    sipPort,
    httpPort,
    dataDir,
    configDir,
    flowsDir,
    baseUrl,
    logFile,
    api,
    cli: (args) => runCli(args, { HOTLINE_DATA_DIR: dataDir, HOTLINE_CONFIG_DIR: configDir }),
    async stop() {
      if (!dead) child.kill('SIGTERM');
      const code = await exited;
      log.end();
      return code;
    },
  };
}

export function runCli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

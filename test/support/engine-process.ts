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

export interface EngineOptions {
  /** Edits the copied config/hotline.yaml text before start. */
  editHotline?: (yaml: string) => string;
  env?: Record<string, string>;
}

export interface Engine {
  sipPort: number;
  httpPort: number;
  dataDir: string;
  configDir: string;
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
  await cp(path.join(ROOT, 'config'), configDir, { recursive: true });
  const hotlineFile = path.join(configDir, 'hotline.yaml');
  let yaml = await readFile(hotlineFile, 'utf8');
  yaml = yaml.replace(/^flowsDir: .*$/m, `flowsDir: ${path.join(ROOT, 'ivr-flows')}`).replace(/^promptsDir: .*$/m, `promptsDir: ${path.join(ROOT, 'prompts')}`);
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

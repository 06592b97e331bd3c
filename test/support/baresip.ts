/**
 * A real baresip softphone as an agent: registers to the engine with digest auth, auto-answers (or not),
 * sends a WAV as its microphone, and records what it hears (sndfile module: dump-*-dec.wav).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, portBlock } from './ports.js';

/**
 * A headless baresip config on 127.0.0.1: G.711 only, a WAV as the microphone, what it hears recorded by the
 * sndfile module into `recDir` (dump-*-dec.wav), its own RTP port block outside the ephemeral range.
 */
export async function writeBaresipConfig(dir: string, opts: { sipPort: number; voiceFile: string; recDir: string }): Promise<void> {
  const rtp = portBlock(20, 10000, 20000);
  await writeFile(
    path.join(dir, 'config'),
    [
      'poll_method epoll',
      `sip_listen 127.0.0.1:${opts.sipPort}`,
      'net_interface 127.0.0.1',
      `audio_source aufile,${opts.voiceFile}`,
      `audio_player aufile,${path.join(dir, 'player.wav')}`,
      `audio_alert aufile,${path.join(dir, 'alert.wav')}`,
      `rtp_ports ${rtp.min}-${rtp.max}`,
      'module_path /usr/lib/baresip/modules',
      'module g711.so',
      'module aufile.so',
      'module sndfile.so',
      'module_app account.so',
      'module_app menu.so',
      `snd_path ${opts.recDir}`,
      '',
    ].join('\n'),
  );
}

export interface BaresipOptions {
  agentId: string;
  password: string;
  engineSipPort: number;
  autoAnswer: boolean;
  /** WAV (8 kHz mono 16-bit) sent as the agent's voice. */
  voiceFile: string;
  transport?: 'udp' | 'tcp';
}

export interface Baresip {
  dir: string;
  recordings(): Promise<string[]>;
  stop(): Promise<void>;
}

export async function startBaresip(opts: BaresipOptions): Promise<Baresip> {
  const dir = await mkdtemp(path.join(tmpdir(), `baresip-${opts.agentId}-`));
  const recDir = path.join(dir, 'rec');
  await mkdir(recDir);
  const sipPort = await freePort();
  const transport = opts.transport ?? 'udp';
  await writeBaresipConfig(dir, { sipPort, voiceFile: opts.voiceFile, recDir });
  const answer = opts.autoAnswer ? ';answermode=auto' : ';answermode=manual';
  await writeFile(
    path.join(dir, 'accounts'),
    `<sip:${opts.agentId}@127.0.0.1:${opts.engineSipPort};transport=${transport}>;auth_pass=${opts.password}${answer};regint=600\n`,
  );
  const log = createWriteStream(path.join(dir, 'baresip.log'));
  const child: ChildProcess = spawn('baresip', ['-f', dir], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    dir,
    async recordings() {
      const files = await readdir(recDir);
      return files.filter((f) => f.endsWith('-dec.wav')).sort().map((f) => path.join(recDir, f));
    },
    async stop() {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
      log.end();
    },
  };
}

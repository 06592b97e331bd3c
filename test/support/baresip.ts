/**
 * A real baresip softphone as an agent: registers to the engine with digest auth, auto-answers (or not),
 * sends a WAV as its microphone, and records what it hears (sndfile module: dump-*-dec.wav).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, portBlock } from './ports.js';

/**
 * A headless baresip config on 127.0.0.1: G.711 only, a WAV as the microphone, what it hears recorded by the
 * sndfile module into `recDir` (dump-*-dec.wav), its own RTP port block outside the ephemeral range.
 */
export async function writeBaresipConfig(dir: string, opts: { sipPort: number; voiceFile: string; recDir: string; controlPort?: number }): Promise<void> {
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
      ...(opts.controlPort ? ['module_app ctrl_tcp.so', `ctrl_tcp_listen 127.0.0.1:${opts.controlPort}`] : []),
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
  /** Listen for JSON commands (ctrl_tcp) on 127.0.0.1, so a test can make the agent hang up. */
  control?: boolean;
}

export interface Baresip {
  dir: string;
  /** Sends a baresip command over ctrl_tcp (needs `control: true`), e.g. `hangup`; resolves with its response. */
  command(command: string, params?: string): Promise<string>;
  recordings(): Promise<string[]>;
  stop(): Promise<void>;
}

export async function startBaresip(opts: BaresipOptions): Promise<Baresip> {
  const dir = await mkdtemp(path.join(tmpdir(), `baresip-${opts.agentId}-`));
  const recDir = path.join(dir, 'rec');
  await mkdir(recDir);
  const sipPort = await freePort();
  const transport = opts.transport ?? 'udp';
  const controlPort = opts.control ? await freePort() : undefined;
  await writeBaresipConfig(dir, { sipPort, voiceFile: opts.voiceFile, recDir, ...(controlPort ? { controlPort } : {}) });
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
    command(command: string, params = '') {
      if (!controlPort) return Promise.reject(new Error('baresip was started without control: true'));
      return ctrlTcp(controlPort, command, params);
    },
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

/** One ctrl_tcp exchange: a netstring-framed JSON command, answered by a netstring-framed JSON response. */
function ctrlTcp(port: number, command: string, params: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ command, params, token: `t${Date.now()}` });
    const socket = connect({ host: '127.0.0.1', port }, () => socket.write(`${Buffer.byteLength(body)}:${body},`));
    let got = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`baresip ctrl_tcp: no response to ${command}`));
    }, 5000);
    socket.on('data', (d: Buffer) => {
      got += d.toString();
      // A response carries "response":true; events (call state changes) may come first.
      if (/"response"\s*:\s*true/.test(got)) {
        clearTimeout(timer);
        socket.end();
        resolve(got);
      }
    });
    socket.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

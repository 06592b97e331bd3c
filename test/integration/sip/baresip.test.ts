/**
 * A real softphone as an agent: baresip registers with digest auth over UDP, auto-answers our ring(), takes
 * our BYE, and unregisters (Expires: 0) when it shuts down.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RegistrationChange } from '../../../src/ports/registrar.js';
import { PASSWORDS, freePort, startHarness, until, type Harness } from './harness.js';

/** baresip's aufile source wants 16-bit little-endian PCM (its bundled ring.wav is not). */
function silenceWav(seconds: number): Buffer {
  const pcm = Buffer.alloc(8000 * 2 * seconds);
  const h = Buffer.alloc(44);
  h.write('RIFF', 0);
  h.writeUInt32LE(36 + pcm.length, 4);
  h.write('WAVEfmt ', 8);
  h.writeUInt32LE(16, 16); // fmt chunk size
  h.writeUInt16LE(1, 20); // PCM
  h.writeUInt16LE(1, 22); // mono
  h.writeUInt32LE(8000, 24); // sample rate
  h.writeUInt32LE(16000, 28); // byte rate
  h.writeUInt16LE(2, 32); // block align
  h.writeUInt16LE(16, 34); // bits per sample
  h.write('data', 36);
  h.writeUInt32LE(pcm.length, 40);
  return Buffer.concat([h, pcm]);
}

async function baresipConfig(dir: string, sipPort: number, registrarPort: number): Promise<void> {
  const config = [
    'poll_method\t\tepoll',
    `sip_listen\t\t127.0.0.1:${sipPort}`,
    'net_interface\t\t127.0.0.1',
    `audio_source\t\taufile,${join(dir, 'silence.wav')}`,
    `rtp_ports\t\t${sipPort + 2}-${sipPort + 40}`,
    'module_path\t\t/usr/lib/baresip/modules',
    'module\t\t\tg711.so',
    'module\t\t\taufile.so',
    'module_app\t\taccount.so',
    'module_app\t\tmenu.so',
    '',
  ].join('\n');
  const account = `<sip:1001@127.0.0.1:${registrarPort};transport=udp>;auth_pass=${PASSWORDS['1001']};regint=60;answermode=auto\n`;
  await writeFile(join(dir, 'config'), config);
  await writeFile(join(dir, 'silence.wav'), silenceWav(2));
  await writeFile(join(dir, 'accounts'), account);
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(killer);
}

describe('baresip ↔ built-in adapter', () => {
  let h: Harness | undefined;
  let child: ChildProcess | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    if (child) await stop(child);
    await h?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
    h = undefined;
    child = undefined;
    dir = undefined;
  });

  it('registers with digest auth over UDP, auto-answers ring(), takes our BYE, unregisters on exit', async () => {
    h = await startHarness({ tcp: false });
    const changes: RegistrationChange[] = [];
    h.registrar.onChange((c) => changes.push(c));
    const sipPort = await freePort();
    dir = await mkdtemp(join(tmpdir(), 'hotline-baresip-'));
    await baresipConfig(dir, sipPort, h.port);
    let output = '';
    child = spawn('baresip', ['-f', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));

    await until(() => h!.registrar.contactOf('1001') !== undefined, 10_000, `baresip registration\n${output}`);
    const contact = h.registrar.contactOf('1001')!;
    expect(contact).toMatchObject({ transport: 'udp', sourceHost: '127.0.0.1', sourcePort: sipPort });
    // It was challenged first (401), then authenticated.
    expect(h.logs.some((l) => l['msg'] === 'REGISTER answered' && l['status'] === 401)).toBe(true);

    const attempt = h.cc.ring({ callId: 'biz-baresip', agentId: '1001', contact, callerNumber: '4008001234', callerName: 'Hotline' });
    const outcome = await attempt.outcome;
    expect(outcome.kind, output).toBe('answered');
    if (outcome.kind !== 'answered') return;
    expect(h.cc.health().details['activeDialogs']).toBe(1);
    await outcome.leg.hangup('agent-test-done');
    await until(() => h!.cc.health().details['transactions'] === 0 || h!.cc.health().details['activeDialogs'] === 0, 5000, 'BYE done');
    expect(h.cc.health().details['activeDialogs']).toBe(0);

    await stop(child);
    await until(() => changes.some((c) => c.reason === 'unregistered'), 5000, 'unregistration');
    expect(h.registrar.contactOf('1001')).toBeUndefined();
  });
});

/**
 * The docker-compose stack: `docker compose config` when Docker's compose plugin is present (it validates the
 * file and the .env substitution), and, always, the properties the deployment relies on.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../../..');
const compose = parse(readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8')) as {
  services: Record<string, { network_mode?: string; healthcheck?: { test: unknown }; volumes?: string[]; environment?: Record<string, string>; image?: string; build?: string }>;
};
const envExample = readFileSync(path.join(ROOT, '.env.example'), 'utf8');

async function composeAvailable(): Promise<boolean> {
  try {
    await run('docker', ['compose', 'version']);
    return true;
  } catch {
    return false;
  }
}
const hasCompose = await composeAvailable();

describe('docker-compose stack', () => {
  it('has drachtio-server, FreeSWITCH, Redis and the app, all on the host network with health checks', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['app', 'drachtio', 'freeswitch', 'redis']);
    for (const [name, svc] of Object.entries(compose.services)) {
      expect(svc.network_mode, name).toBe('host');
      expect(svc.healthcheck?.test, name).toBeDefined();
    }
  });

  it('takes every secret from .env, and .env.example ships none', () => {
    const text = readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8');
    expect(text).toMatch(/DRACHTIO_SECRET: \$\{DRACHTIO_SECRET:\?/);
    expect(text).toMatch(/FREESWITCH_SECRET: \$\{FREESWITCH_SECRET:\?/);
    expect(text).not.toMatch(/ClueCon|cymru/);
    expect(envExample).toMatch(/^DRACHTIO_SECRET=$/m);
    expect(envExample).toMatch(/^FREESWITCH_SECRET=$/m);
    // Every ${VAR} the compose file reads is documented in .env.example.
    const used = new Set([...text.matchAll(/\$\{([A-Z_]+)/g)].map((m) => m[1]!));
    for (const name of used) expect(envExample, `${name} missing from .env.example`).toMatch(new RegExp(`^${name}=`, 'm'));
    expect(readFileSync(path.join(ROOT, '.gitignore'), 'utf8')).toMatch(/^\.env$/m);
  });

  it('mounts files that exist, and prompts/data at the same paths in the app and FreeSWITCH', () => {
    for (const svc of Object.values(compose.services)) {
      for (const v of svc.volumes ?? []) {
        const [src] = v.split(':');
        if (src!.startsWith('./')) expect(existsSync(path.join(ROOT, src!)), v).toBe(true);
      }
    }
    const targets = (name: string): string[] => (compose.services[name]!.volumes ?? []).map((v) => v.split(':')[1]!);
    for (const shared of ['/opt/hotline/prompts', '/var/lib/hotline']) {
      expect(targets('app')).toContain(shared);
      expect(targets('freeswitch')).toContain(shared);
    }
    expect(compose.services['app']!.environment).toMatchObject({ HOTLINE_TELEPHONY: 'drachtio-freeswitch', FREESWITCH_LISTEN_ADDRESS: '127.0.0.1', HOTLINE_PROMPTS_DIR: '/opt/hotline/prompts', HOTLINE_DATA_DIR: '/var/lib/hotline' });
  });

  it.skipIf(!hasCompose)('passes `docker compose config` (skipped: no docker compose plugin on this machine)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hotline-compose-'));
    const env = path.join(dir, '.env');
    writeFileSync(env, envExample.replace(/^DRACHTIO_SECRET=$/m, 'DRACHTIO_SECRET=test-only-secret-1').replace(/^FREESWITCH_SECRET=$/m, 'FREESWITCH_SECRET=test-only-secret-2'));
    const { stdout } = await run('docker', ['compose', '--env-file', env, '-f', path.join(ROOT, 'docker-compose.yml'), 'config', '--quiet'], { cwd: ROOT });
    expect(stdout).toBe('');
  });
});

/** The telephony selection in the configuration: defaults, environment overrides, and start-up errors. */
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, formatProblem, loadConfig, usesDefaultSecrets, type Env } from '../../../src/config/load-config.js';
import { drachtioFreeswitchOptions } from '../../../src/adapters/telephony/drachtio-freeswitch/index.js';
import { ManualClock } from '../../../src/domain/shared/fake-clock.js';
import { captureLogger } from './fakes.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const SECRETS = { DRACHTIO_SECRET: 'drachtio-secret-123', FREESWITCH_SECRET: 'fs-secret-123' };

async function configWith(extraYaml: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'hotline-dfs-cfg-'));
  await cp(path.join(ROOT, 'config'), dir, { recursive: true });
  const file = path.join(dir, 'hotline.yaml');
  await writeFile(file, `${await readFile(file, 'utf8')}\n${extraYaml}\n`);
  return dir;
}

async function problems(env: Env): Promise<string[]> {
  try {
    await loadConfig(env, ROOT);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.map(formatProblem);
    throw err;
  }
  return [];
}

describe('telephony configuration', () => {
  it('defaults to the built-in engine, with drachtio/FreeSWITCH defaults ready for a one-host stack', async () => {
    const cfg = await loadConfig({ HOTLINE_CONFIG_DIR: path.join(ROOT, 'config') }, ROOT);
    expect(cfg.telephony).toBe('builtin');
    expect(cfg.drachtio).toMatchObject({ host: '127.0.0.1', port: 9022, secret: undefined, reconnectMaxDelayMs: 5000 });
    expect(cfg.freeswitch).toMatchObject({ host: '127.0.0.1', port: 8021, listenAddress: '127.0.0.1', channelControl: 'shared-socket', profile: 'hotline_mrf', maxChannels: 1000, safetyHangupSec: 300 });
    expect(cfg.freeswitch.instanceId).toMatch(/^[A-Za-z0-9._-]{1,64}$/);
    expect(cfg.admission).toEqual({ maxCallsInSetup: 40, minIdleCpuPct: 15, sessionsPerSecondShare: 0.8, maxEventLoopDelayMs: 250 });
    expect(usesDefaultSecrets(cfg)).toEqual([]);
  });

  it('selects drachtio-freeswitch from the file, with secrets and addresses from the environment', async () => {
    const dir = await configWith('telephony: drachtio-freeswitch\ndrachtio:\n  host: 10.0.0.5\nfreeswitch:\n  maxChannels: 400\n  instanceId: app-a\nadmission:\n  maxCallsInSetup: 12');
    const cfg = await loadConfig({ HOTLINE_CONFIG_DIR: dir, ...SECRETS, DRACHTIO_PORT: '9033', FREESWITCH_HOST: '127.0.0.2' }, ROOT);
    expect(cfg.telephony).toBe('drachtio-freeswitch');
    expect(cfg.drachtio).toMatchObject({ host: '10.0.0.5', port: 9033, secret: 'drachtio-secret-123' });
    expect(cfg.freeswitch).toMatchObject({ host: '127.0.0.2', port: 8021, secret: 'fs-secret-123', maxChannels: 400, instanceId: 'app-a' });
    expect(cfg.admission.maxCallsInSetup).toBe(12);
    const opts = drachtioFreeswitchOptions(cfg, captureLogger().logger, new ManualClock(0));
    expect(opts.drachtio).toEqual({ host: '10.0.0.5', port: 9033, secret: 'drachtio-secret-123', reconnectMaxDelayMs: 5000 });
    expect(opts.freeswitch).toMatchObject({ host: '127.0.0.2', listenAddress: '127.0.0.1', channelControl: 'shared-socket', profile: 'hotline_mrf', instanceId: 'app-a' });
    expect(opts.admission).toEqual({ maxCallsInSetup: 12, minIdleCpuPct: 15, sessionsPerSecondShare: 0.8, maxEventLoopDelayMs: 250 });
  });

  it('says what is missing or wrong, all at once, before anything starts', async () => {
    const base = { HOTLINE_CONFIG_DIR: path.join(ROOT, 'config'), HOTLINE_TELEPHONY: 'drachtio-freeswitch' };
    const p = await problems({ ...base, FREESWITCH_HOST: '10.0.0.9', FREESWITCH_CHANNEL_CONTROL: 'drachtio-fsmrf' });
    expect(p).toHaveLength(3);
    expect(p[0]).toMatch(/hotline\.yaml:1:1: .*drachtio\.secret is not set: set DRACHTIO_SECRET/);
    expect(p[1]).toMatch(/freeswitch\.secret is not set: set FREESWITCH_SECRET/);
    expect(p[2]).toMatch(/listenAddress 127\.0\.0\.1 is a loopback address but FreeSWITCH runs at 10\.0\.0\.9/);
    const fsmrf = { ...base, ...SECRETS, FREESWITCH_CHANNEL_CONTROL: 'drachtio-fsmrf' };
    expect(await problems({ ...fsmrf, FREESWITCH_LISTEN_ADDRESS: 'app.example' })).toEqual([expect.stringMatching(/listenAddress must be an IP address/)]);
    // The shared socket (the default) has no listener: FreeSWITCH elsewhere needs no address to connect back to.
    expect(await problems({ ...base, ...SECRETS, FREESWITCH_HOST: '10.0.0.9' })).toEqual([]);
    expect(await problems({ ...base, ...SECRETS, FREESWITCH_CHANNEL_CONTROL: 'outbound' })).toEqual([
      expect.stringMatching(/^env FREESWITCH_CHANNEL_CONTROL:1:1: must be shared-socket or drachtio-fsmrf, got "outbound"/),
    ]);
    expect(await problems({ ...base, ...SECRETS, HOTLINE_TELEPHONY: 'asterisk' })).toEqual([expect.stringMatching(/^env HOTLINE_TELEPHONY:1:1: must be builtin or drachtio-freeswitch, got "asterisk"/)]);
    expect((await problems({ ...base, ...SECRETS, DRACHTIO_PORT: '0' }))[0]).toMatch(/DRACHTIO_PORT.*1-65535/);
    const bad = await configWith('telephony: freeswitch');
    expect((await problems({ HOTLINE_CONFIG_DIR: bad }))[0]).toMatch(/\/telephony/);
  });

  it('warns about the well-known default secrets', async () => {
    const cfg = await loadConfig({ HOTLINE_CONFIG_DIR: path.join(ROOT, 'config'), HOTLINE_TELEPHONY: 'drachtio-freeswitch', DRACHTIO_SECRET: 'cymru', FREESWITCH_SECRET: 'ClueCon' }, ROOT);
    expect(usesDefaultSecrets(cfg)).toEqual(['drachtio.secret', 'freeswitch.secret']);
  });
});

import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, formatProblem, isLoopback, loadConfig, usesSamplePasswords } from '../../../src/config/load-config.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');

async function configCopy(edit?: { file: string; from: string | RegExp; to: string }): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'hotline-cfg-'));
  await cp(path.join(ROOT, 'config'), dir, { recursive: true });
  if (edit) {
    const f = path.join(dir, edit.file);
    const text = await readFile(f, 'utf8');
    const next = text.replace(edit.from, edit.to);
    expect(next).not.toBe(text);
    await writeFile(f, next);
  }
  return dir;
}

async function problemsOf(dir: string, env: Record<string, string> = {}): Promise<string[]> {
  try {
    await loadConfig({ HOTLINE_CONFIG_DIR: dir, ...env }, '/');
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.map(formatProblem);
    throw err;
  }
  return [];
}

describe('config loader', () => {
  it('loads the shipped sample: number, queues, agents, defaults, env overrides', async () => {
    const cfg = await loadConfig({ HOTLINE_CONFIG_DIR: path.join(ROOT, 'config'), HOTLINE_SIP_PORT: '15060', HOTLINE_HTTP_PORT: '18080', HOTLINE_DATA_DIR: '/tmp/x' }, ROOT);
    expect(cfg.numbers).toEqual({ '4008208820': 'hotline-400' });
    expect([...cfg.queues.keys()]).toEqual(['sales', 'support', 'vip', 'complaints', 'operator']);
    expect([...cfg.agents.keys()]).toEqual(['1001', '1002', '1003', '1004']);
    expect(cfg.sip).toMatchObject({ host: '127.0.0.1', port: 15060, transports: ['udp', 'tcp'] });
    expect(cfg.http.port).toBe(18080);
    expect(cfg.dataDir).toBe('/tmp/x');
    expect(cfg.flowsDir).toBe(path.join(ROOT, 'ivr-flows'));
    expect(Object.isFrozen(cfg)).toBe(true);
    expect(usesSamplePasswords(cfg)).toEqual(['1001', '1002', '1003', '1004']);
    expect(JSON.stringify([...cfg.agents.values()])).not.toContain('secret-');
  });

  it('reports a YAML syntax error with file:line:col', async () => {
    const dir = await configCopy({ file: 'hotline.yaml', from: '  port: 5060\n', to: '  port: [5060\n' });
    const problems = await problemsOf(dir);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]).toMatch(new RegExp(`^${path.join(dir, 'hotline.yaml').replace(/[/.]/g, '\\$&')}:\\d+:\\d+: `));
  });

  it('reports a schema error at the offending value', async () => {
    const dir = await configCopy({ file: 'hotline.yaml', from: 'ringTimeoutSec: 15     #', to: 'ringTimeoutSec: "soon" #' });
    const problems = await problemsOf(dir);
    const text = await readFile(path.join(dir, 'hotline.yaml'), 'utf8');
    const line = text.split('\n').findIndex((l) => l.includes('"soon"')) + 1;
    expect(problems).toEqual([expect.stringMatching(new RegExp(`hotline\\.yaml:${line}:\\d+: /queues/sales/ringTimeoutSec: must be number`))]);
  });

  it('names an unknown key', async () => {
    const dir = await configCopy({ file: 'agents.yaml', from: '    readyOnRegister: true      #', to: '    readyOnRegistr: true      #' });
    const problems = await problemsOf(dir);
    expect(problems.some((p) => p.includes('agents.yaml:') && p.includes('"readyOnRegistr"'))).toBe(true);
  });

  it('rejects a bad port in the environment', async () => {
    const problems = await problemsOf(path.join(ROOT, 'config'), { HOTLINE_SIP_PORT: 'http' });
    expect(problems[0]).toContain('HOTLINE_SIP_PORT');
  });

  it('knows loopback addresses', () => {
    expect(isLoopback('127.0.0.1')).toBe(true);
    expect(isLoopback('::1')).toBe(true);
    expect(isLoopback('0.0.0.0')).toBe(false);
  });
});

describe('config loader: ACD settings', () => {
  it('fills queue defaults and resolves callbacks onto the top-level trunk', async () => {
    const dir = await configCopy({ file: 'hotline.yaml', from: '# trunk: { host: 192.0.2.10, port: 5060, transport: udp }', to: 'trunk: { host: 192.0.2.10, port: 5070 }' });
    const text = (await readFile(path.join(dir, 'hotline.yaml'), 'utf8')).replace('    # callback: { key: "1"', '    callback: { key: "1"');
    await writeFile(path.join(dir, 'hotline.yaml'), text);
    const cfg = await loadConfig({ HOTLINE_CONFIG_DIR: dir }, '/');
    const support = cfg.queues.get('support');
    expect(support?.callback).toMatchObject({ key: '1', offerAfterSec: 60, trunk: { host: '192.0.2.10', port: 5070, transport: 'udp' } });
    expect(support?.dispositionCodes).toEqual(['resolved', 'follow-up', 'escalated', 'wrong-number']);
    expect(cfg.queues.get('sales')).toMatchObject({ strategy: 'longest-idle', skills: { sales: 5 }, onMaxWait: { kind: 'queue', queueId: 'support' }, sticky: { withinDays: 7, waitSec: 15 } });
    expect(cfg.queues.get('vip')).toMatchObject({ strategy: 'ring-all', joinWhenEmpty: false, onEmpty: { kind: 'queue', queueId: 'sales', prompts: [] } });
    expect(cfg.agents.get('1001')).toMatchObject({ groups: ['seniors'], notReadyReasons: ['break', 'lunch', 'meeting', 'training', 'coaching', 'admin'] });
  });

  it('an exit names exactly one target; queue exits may not loop; a callback needs a trunk', async () => {
    const dir = await configCopy({ file: 'hotline.yaml', from: 'onMaxWait: { queue: support, prompts: ["acd/{lang}/transferring.wav"] }', to: 'onMaxWait: { queue: support, hangup: bye }' });
    let text = await readFile(path.join(dir, 'hotline.yaml'), 'utf8');
    text = text.replace('    onMaxWait: { queue: sales }', '    onMaxWait: { queue: nowhere }').replace('    # callback: { key: "1"', '    callback: { key: "1"');
    await writeFile(path.join(dir, 'hotline.yaml'), text);
    const problems = await problemsOf(dir);
    const lineOf = (needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`hotline\\.yaml:${lineOf('hangup: bye')}:\\d+: /queues/sales/onMaxWait: an exit names exactly one of queue, flow, callback, hangup \\(got queue, hangup\\)`)),
        expect.stringMatching(new RegExp(`hotline\\.yaml:${lineOf('queue: nowhere')}:\\d+: /queues/vip/onMaxWait/queue: no queue "nowhere"`)),
        expect.stringMatching(/\/queues\/support\/callback: callbacks need a trunk/),
      ]),
    );
  });

  it('rejects a loop of overflows', async () => {
    const dir = await configCopy({ file: 'hotline.yaml', from: '    onFull: { hangup: queue-full, prompts: ["acd/{lang}/queue-full.wav"] }', to: '    onFull: { queue: sales }' });
    const problems = await problemsOf(dir);
    expect(problems.some((p) => p.includes('queue exits loop: sales → support → sales'))).toBe(true);
  });
});

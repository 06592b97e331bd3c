/** Start-up refuses bad input with file:line:col and a non-zero exit, before opening any port. */
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../support/engine-process.js';
import { freePort } from '../support/ports.js';

async function deployment(edit: (files: { hotline: string; flow: string }) => Promise<void>): Promise<{ env: Record<string, string>; hotline: string; flow: string }> {
  const work = await mkdtemp(path.join(tmpdir(), 'hotline-bad-'));
  await cp(path.join(ROOT, 'config'), path.join(work, 'config'), { recursive: true });
  await cp(path.join(ROOT, 'ivr-flows'), path.join(work, 'ivr-flows'), { recursive: true });
  const hotline = path.join(work, 'config/hotline.yaml');
  const flow = path.join(work, 'ivr-flows/hotline-400.yaml');
  const text = await readFile(hotline, 'utf8');
  await writeFile(hotline, text.replace(/^promptsDir: .*$/m, `promptsDir: ${path.join(ROOT, 'prompts')}`));
  await edit({ hotline, flow });
  const env = {
    HOTLINE_CONFIG_DIR: path.join(work, 'config'),
    HOTLINE_DATA_DIR: path.join(work, 'var'),
    HOTLINE_SIP_PORT: String(await freePort()),
    HOTLINE_HTTP_PORT: String(await freePort()),
  };
  return { env, hotline, flow };
}

describe('hotline serve refuses bad input at start-up', () => {
  it('a YAML error in a flow: file:line:col and exit 1', async () => {
    const d = await deployment(async ({ flow }) => {
      const text = await readFile(flow, 'utf8');
      await writeFile(flow, text.replace('next: check-hours', 'next: to-nowhere'));
    });
    const r = await runCli(['serve'], d.env);
    expect(r.code).toBe(1);
    const text = await readFile(d.flow, 'utf8');
    const line = text.split('\n').findIndex((l) => l.includes('to-nowhere')) + 1;
    expect(r.stderr).toMatch(new RegExp(`${d.flow.replace(/[/.]/g, '\\$&')}:${line}:\\d+: .*to-nowhere`));
  });

  it('a broken config file: file:line:col and exit 1', async () => {
    const d = await deployment(async ({ hotline }) => {
      const text = await readFile(hotline, 'utf8');
      await writeFile(hotline, text.replace('    wrapupSec: 10', '    wrapupSec: -3'));
    });
    const r = await runCli(['serve'], d.env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/hotline\.yaml:\d+:\d+: \/queues\/sales\/wrapupSec: must be >= 0/);
  });

  it('a number mapped to a flow that does not exist', async () => {
    const d = await deployment(async ({ hotline }) => {
      const text = await readFile(hotline, 'utf8');
      await writeFile(hotline, text.replace('"4008208820": hotline-400', '"4008208820": hotline-404'));
    });
    const r = await runCli(['serve'], d.env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('maps to flow "hotline-404"');
  });

  it('a queue exit to a flow node the flow does not have', async () => {
    const d = await deployment(async ({ hotline }) => {
      const text = await readFile(hotline, 'utf8');
      await writeFile(hotline, text.replace('onMaxWait: { queue: support, prompts: ["acd/{lang}/transferring.wav"] }', 'onMaxWait: { flow: no-such-node }'));
    });
    const r = await runCli(['serve'], d.env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('queue sales\'s onMaxWait exit leads to flow node "no-such-node", which flow hotline-400 does not have');
  });
});

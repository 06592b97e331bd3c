/** Helpers shared by the flow tests: temporary prompt folders and flows built from YAML text. */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Flow } from '../../../src/domain/flow/model.js';
import { validateFlowSource } from '../../../src/domain/flow/validate.js';
import { parseYamlSource } from '../../../src/adapters/flows/yaml-source.js';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../..');
export const FIXTURES = join(REPO_ROOT, 'test/fixtures/flows');
/** The walking skeleton's minimal menu (1 sales, 2 support), a fixture since the shipped sample grew. */
export const SKELETON_FLOW = join(REPO_ROOT, 'ivr-flows/examples/skeleton-400.yaml');

/** The prompt names the skeleton-400 flow plays. */
export const HOTLINE_PROMPTS = ['welcome', 'main-menu', 'invalid', 'no-input', 'please-hold', 'goodbye'];

export interface TempPrompts {
  dir: string;
  remove(): Promise<void>;
}

/** A prompts folder with empty placeholder files, e.g. ['zh/welcome.wav', 'shared/hold.wav']. */
export async function makePromptsDir(relFiles: readonly string[]): Promise<TempPrompts> {
  const dir = await mkdtemp(join(tmpdir(), 'hotline-prompts-'));
  for (const rel of relFiles) {
    await mkdir(dirname(join(dir, rel)), { recursive: true });
    await writeFile(join(dir, rel), '');
  }
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** Parses and validates YAML text (no prompt file checks); throws with the problems if invalid. */
export function flowFromYaml(text: string): Flow {
  const parsed = parseYamlSource(text);
  if (!parsed.ok) throw new Error(parsed.problems.map((p) => `${p.pos.line}:${p.pos.col}: ${p.message}`).join('\n'));
  const v = validateFlowSource(parsed.root);
  if (!v.ok) throw new Error(v.problems.map((p) => `${p.pos.line}:${p.pos.col}: ${p.message}`).join('\n'));
  return v.flow;
}

/** A flow with every field at its neutral value, for flows built by hand in tests. */
export function bareFlow(id: string): Flow {
  return {
    id,
    version: '1',
    language: 'en',
    languages: ['en'],
    timezone: 'Asia/Shanghai',
    start: '',
    variables: {},
    transcripts: {},
    externalNumbers: {},
    calendars: {},
    nodes: {},
  };
}

/**
 * Loads IVR flows from disk: YAML with positions (yaml-source.ts), validation (domain/flow/validate.ts),
 * and the one check that needs the file system — every prompt the flow plays exists for its language.
 * Every problem comes back as a FlowError with file, line and column.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Flow } from '../../domain/flow/model.js';
import { FlowProblemCodes as C, type FlowProblem } from '../../domain/flow/problems.js';
import { resolvePromptPath } from '../../domain/flow/prompts.js';
import { locate, type SourceNode } from '../../domain/flow/source.js';
import { validateFlowSource } from '../../domain/flow/validate.js';
import { flowErrorsOf, sortFlowErrors, type FlowError } from './flow-errors.js';
import { parseYamlSource } from './yaml-source.js';

export interface FlowLoadOptions {
  /** Root of the prompt files: a prompt name resolves to `<promptsDir>/<language>/<name>.wav`. */
  promptsDir: string;
}

export type FlowLoadResult = { ok: true; flow: Flow } | { ok: false; errors: FlowError[] };

export interface FlowDirResult {
  /** Valid flows by flow id. */
  flows: Map<string, Flow>;
  /** The file each flow in `flows` came from, by flow id. */
  files: Map<string, string>;
  /** Problems in every file, sorted by file and position. Files with errors are left out of `flows`. */
  errors: FlowError[];
}

const TOP: FlowProblem['pos'] = { line: 1, col: 1 };

export async function loadFlowFile(path: string, opts: FlowLoadOptions): Promise<FlowLoadResult> {
  return (await loadWithSource(path, opts)).result;
}

/**
 * Loads every `*.yaml` / `*.yml` file directly in `dir` (sorted by name; hidden files skipped). Two files
 * with the same flow id: the first by name is kept, the second is reported at its `id`.
 */
export async function loadFlowDir(dir: string, opts: FlowLoadOptions): Promise<FlowDirResult> {
  const out: FlowDirResult = { flows: new Map(), files: new Map(), errors: [] };
  let names: string[];
  try {
    names = (await readdir(dir, { withFileTypes: true }))
      .filter((d) => d.isFile() && !d.name.startsWith('.') && /\.ya?ml$/i.test(d.name))
      .map((d) => d.name)
      .sort();
  } catch (err) {
    out.errors.push(...flowErrorsOf(dir, [{ code: C.UNREADABLE_FILE, pos: TOP, message: `cannot read flow directory: ${reason(err)}` }]));
    return out;
  }
  const loaded = await Promise.all(names.map((name) => loadWithSource(join(dir, name), opts)));
  for (const { file, result, root } of loaded) {
    if (!result.ok) {
      out.errors.push(...result.errors);
      continue;
    }
    const { flow } = result;
    const first = out.files.get(flow.id);
    if (first !== undefined) {
      out.errors.push(
        ...flowErrorsOf(file, [
          { code: C.DUPLICATE_FLOW_ID, pos: locate(root, ['id']), message: `flow: duplicate flow id "${flow.id}" (also in ${first})` },
        ]),
      );
      continue;
    }
    out.flows.set(flow.id, flow);
    out.files.set(flow.id, file);
  }
  out.errors = sortFlowErrors(out.errors);
  return out;
}

interface Loaded {
  file: string;
  result: FlowLoadResult;
  root: SourceNode | undefined;
}

async function loadWithSource(file: string, opts: FlowLoadOptions): Promise<Loaded> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const problems = [{ code: C.UNREADABLE_FILE, pos: TOP, message: `cannot read flow file: ${reason(err)}` }];
    return { file, root: undefined, result: { ok: false, errors: flowErrorsOf(file, problems) } };
  }
  const parsed = parseYamlSource(text);
  if (!parsed.ok) return { file, root: undefined, result: { ok: false, errors: flowErrorsOf(file, parsed.problems) } };

  const validation = validateFlowSource(parsed.root);
  const problems: FlowProblem[] = validation.ok ? [] : [...validation.problems];
  // Prompt files are checked even when other problems exist, so one run shows everything to fix.
  problems.push(...(await missingPrompts(validation, opts.promptsDir)));
  if (!validation.ok || problems.length > 0) {
    const errors = flowErrorsOf(file, problems).sort((a, b) => a.line - b.line || a.col - b.col);
    return { file, root: parsed.root, result: { ok: false, errors } };
  }
  return { file, root: parsed.root, result: { ok: true, flow: validation.flow } };
}

async function missingPrompts(validation: ReturnType<typeof validateFlowSource>, promptsDir: string): Promise<FlowProblem[]> {
  const { language, promptUses } = validation;
  const checks = promptUses
    // Without a valid language a prompt name has no folder to look in; the language problem says so.
    .filter((u) => u.prompt.kind === 'file' || language !== '')
    .map(async (u): Promise<FlowProblem | undefined> => {
      const path = resolvePromptPath(u.prompt, promptsDir, language);
      if (await isFile(path)) return undefined;
      const what = u.prompt.kind === 'name' ? `prompt "${u.prompt.name}"` : `prompt file "${u.prompt.file}"`;
      return { code: C.MISSING_PROMPT, pos: u.pos, message: `node "${u.nodeId}": ${what} not found: ${path}` };
    });
  return (await Promise.all(checks)).filter((p): p is FlowProblem => p !== undefined);
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

function reason(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

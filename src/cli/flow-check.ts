/**
 * `hotline flow check [paths…]`: validates flow files (or every flow in folders) exactly as start-up and hot
 * reload do, and prints every problem as `file:line:col: message`. Exit code 1 when there is any.
 * Without paths: the flows folder of the configuration, plus its numbers → flows mapping.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { loadFlowDir, loadFlowFile } from '../adapters/flows/flow-loader.js';
import { formatFlowError, sortFlowErrors, type FlowError } from '../adapters/flows/flow-errors.js';
import { flowLocations, shownPath } from './flow-locations.js';

export interface FlowCheckOptions {
  promptsDir?: string;
  flowsDir?: string;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  out: (line: string) => void;
  err: (line: string) => void;
}

export async function runFlowCheck(paths: readonly string[], opts: FlowCheckOptions): Promise<number> {
  const where = await flowLocations(opts, opts.env, opts.cwd);
  const targets = paths.length > 0 ? paths.map((p) => path.resolve(opts.cwd, p)) : [where.flowsDir];
  const errors: FlowError[] = [];
  const ids = new Set<string>();
  let files = 0;
  for (const target of targets) {
    const isDir = await stat(target).then((s) => s.isDirectory(), () => false);
    if (isDir) {
      const r = await loadFlowDir(target, { promptsDir: where.promptsDir });
      files += r.results.size;
      for (const id of r.flows.keys()) ids.add(id);
      errors.push(...r.errors);
    } else {
      files++;
      const r = await loadFlowFile(target, { promptsDir: where.promptsDir });
      if (r.ok) ids.add(r.flow.id);
      else errors.push(...r.errors);
    }
  }
  const lines = sortFlowErrors(errors).map((e) => formatFlowError({ ...e, file: shownPath(e.file, opts.cwd) }));
  if (paths.length === 0 && where.configFile) {
    for (const [number, flowId] of Object.entries(where.numbers)) {
      if (!ids.has(flowId)) lines.push(`${shownPath(where.configFile, opts.cwd)}:1:1: number ${number} maps to flow "${flowId}", which is not a valid flow in ${shownPath(where.flowsDir, opts.cwd)}`);
    }
  }
  for (const l of lines) opts.out(l);
  if (lines.length > 0) {
    opts.err(`${lines.length} problem${lines.length === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'}`);
    return 1;
  }
  opts.err(`ok: ${ids.size} flow${ids.size === 1 ? '' : 's'} (${[...ids].sort().join(', ')}), prompts in ${shownPath(where.promptsDir, opts.cwd)}`);
  return 0;
}

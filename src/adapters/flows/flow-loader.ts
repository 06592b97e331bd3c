/**
 * Loads IVR flows from disk: YAML with positions (yaml-source.ts), validation (domain/flow/validate.ts),
 * and the checks that need the file system — every prompt the flow plays exists in every language it can
 * play in, the spoken-value fragments exist, and its holiday calendars read and validate.
 * Every problem comes back as a FlowError with file, line and column.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Flow, HolidayCalendar } from '../../domain/flow/model.js';
import { FlowProblemCodes as C, type FlowProblem } from '../../domain/flow/problems.js';
import { resolvePromptPath } from '../../domain/flow/prompts.js';
import { fragmentFile, sayInventory, sayLanguageOf, type SayLanguage } from '../../domain/flow/say/index.js';
import { locate, type SourceNode } from '../../domain/flow/source.js';
import { decodeCalendar } from '../../domain/flow/time/calendar.js';
import { validateFlowSource, withCalendars, type FlowValidation } from '../../domain/flow/validate.js';
import { flowErrorsOf, sortFlowErrors, type FlowError } from './flow-errors.js';
import { parseYamlSource } from './yaml-source.js';

export interface FlowLoadOptions {
  /** Root of the prompt files: a prompt name resolves to `<promptsDir>/<language>/<name>.wav`. */
  promptsDir: string;
  /**
   * Report missing prompt files (default true). The simulator turns it off: an admin tries a flow before
   * its prompts are recorded.
   */
  checkPrompts?: boolean;
}

export interface LoadedFlow {
  readonly flow: Flow;
  /** Files the flow was built from: the flow file, then its holiday calendars. */
  readonly files: readonly string[];
  /** Hash of those files' contents: equal hashes mean the same flow. */
  readonly contentHash: string;
}

export type FlowLoadResult = ({ ok: true } & LoadedFlow) | { ok: false; errors: FlowError[]; files: readonly string[]; flowId?: string };

export interface FlowDirResult {
  /** Valid flows by flow id. */
  flows: Map<string, Flow>;
  /** The file each flow in `flows` came from, by flow id. */
  files: Map<string, string>;
  /** Every file loaded, with its result (the watcher keeps per-file state from it). */
  results: Map<string, FlowLoadResult>;
  /** Problems in every file, sorted by file and position. Files with errors are left out of `flows`. */
  errors: FlowError[];
}

const TOP: FlowProblem['pos'] = { line: 1, col: 1 };

export async function loadFlowFile(path: string, opts: FlowLoadOptions): Promise<FlowLoadResult> {
  return (await loadWithSource(path, opts, new Map())).result;
}

/** The flow files directly in `dir`: `*.yaml` / `*.yml`, hidden files skipped, sorted by name. */
export async function listFlowFiles(dir: string): Promise<string[]> {
  return (await readdir(dir, { withFileTypes: true }))
    .filter((d) => d.isFile() && !d.name.startsWith('.') && /\.ya?ml$/i.test(d.name))
    .map((d) => join(dir, d.name))
    .sort();
}

/**
 * Loads every flow file directly in `dir` (sorted by name; hidden files skipped; sub-folders such as
 * calendars/ are not flows). Two files with the same flow id: the first by name is kept, the second is
 * reported at its `id`.
 */
export async function loadFlowDir(dir: string, opts: FlowLoadOptions): Promise<FlowDirResult> {
  const out: FlowDirResult = { flows: new Map(), files: new Map(), results: new Map(), errors: [] };
  let files: string[];
  try {
    files = await listFlowFiles(dir);
  } catch (err) {
    out.errors.push(...flowErrorsOf(dir, [{ code: C.UNREADABLE_FILE, pos: TOP, message: `cannot read flow directory: ${reason(err)}` }]));
    return out;
  }
  const memo = new Map<string, Promise<boolean>>();
  const loaded = await Promise.all(files.map((file) => loadWithSource(file, opts, memo)));
  for (const { file, result, root } of loaded) {
    out.results.set(file, result);
    if (!result.ok) {
      out.errors.push(...result.errors);
      continue;
    }
    const { flow } = result;
    const first = out.files.get(flow.id);
    if (first !== undefined) {
      const errors = flowErrorsOf(file, [
        { code: C.DUPLICATE_FLOW_ID, pos: locate(root, ['id']), message: `flow: duplicate flow id "${flow.id}" (also in ${first})` },
      ]);
      out.results.set(file, { ok: false, errors, files: result.files, flowId: flow.id });
      out.errors.push(...errors);
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

async function loadWithSource(file: string, opts: FlowLoadOptions, memo: Map<string, Promise<boolean>>): Promise<Loaded> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const problems = [{ code: C.UNREADABLE_FILE, pos: TOP, message: `cannot read flow file: ${reason(err)}` }];
    return { file, root: undefined, result: { ok: false, errors: flowErrorsOf(file, problems), files: [file] } };
  }
  const parsed = parseYamlSource(text);
  if (!parsed.ok) return { file, root: undefined, result: { ok: false, errors: flowErrorsOf(file, parsed.problems), files: [file] } };

  const validation = validateFlowSource(parsed.root);
  const flowId = idOf(parsed.root);
  const problems: FlowProblem[] = validation.ok ? [] : [...validation.problems];
  // Prompt files are checked even when other problems exist, so one run shows everything to fix.
  if (opts.checkPrompts !== false) problems.push(...(await missingPrompts(validation, opts.promptsDir, memo)));
  const calendars = await loadCalendars(file, validation);
  const errors = [...flowErrorsOf(file, problems), ...calendars.errors];
  const files = [file, ...calendars.files];
  if (!validation.ok || errors.length > 0) {
    return { file, root: parsed.root, result: { ok: false, errors: sortFlowErrors(errors), files, ...(flowId ? { flowId } : {}) } };
  }
  const hash = createHash('sha256').update(text);
  for (const c of calendars.texts) hash.update('\u0000').update(c);
  const flow = withCalendars(validation.flow, calendars.byName);
  return { file, root: parsed.root, result: { ok: true, flow, files, contentHash: hash.digest('hex') } };
}

/** The flow id as written, even in a file with problems (so a broken file can be tied to its flow). */
function idOf(root: SourceNode): string | undefined {
  if (root.kind !== 'map') return undefined;
  const e = root.entries.find((x) => x.key === 'id');
  return e?.value.kind === 'scalar' && typeof e.value.value === 'string' ? e.value.value : undefined;
}

async function missingPrompts(validation: FlowValidation, promptsDir: string, memo: Map<string, Promise<boolean>>): Promise<FlowProblem[]> {
  const { languages, promptUses } = validation;
  const exists = (path: string): Promise<boolean> => {
    let p = memo.get(path);
    if (!p) {
      p = isFile(path);
      memo.set(path, p);
    }
    return p;
  };
  const checks: Array<Promise<FlowProblem | undefined>> = [];
  const sayChecked = new Set<string>();
  for (const u of promptUses) {
    if (u.prompt.kind === 'say') {
      for (const lang of new Set(languages.map(sayLanguageOf))) {
        if (!lang || sayChecked.has(lang)) continue;
        sayChecked.add(lang);
        checks.push(missingFragments(lang, promptsDir, exists).then((missing) => (missing ? { code: C.MISSING_PROMPT, pos: u.pos, message: `node "${u.nodeId}": ${missing}` } : undefined)));
      }
      continue;
    }
    const prompt = u.prompt;
    // A name resolves per language; without a valid language it has no folder, and the language problem says so.
    const langs = prompt.kind === 'file' ? [''] : languages;
    for (const lang of langs) {
      const path = resolvePromptPath(prompt, promptsDir, lang);
      checks.push(
        exists(path).then((ok) => {
          if (ok) return undefined;
          const what = prompt.kind === 'name' ? `prompt "${prompt.name}"${languages.length > 1 ? ` (${lang})` : ''}` : `prompt file "${prompt.file}"`;
          return { code: C.MISSING_PROMPT, pos: u.pos, message: `node "${u.nodeId}": ${what} not found: ${path}` };
        }),
      );
    }
  }
  return (await Promise.all(checks)).filter((p): p is FlowProblem => p !== undefined);
}

/** A message naming the first missing fragment of a language, or '' when all are there. */
async function missingFragments(lang: SayLanguage, promptsDir: string, exists: (p: string) => Promise<boolean>): Promise<string> {
  const names = Object.keys(sayInventory(lang));
  const results = await Promise.all(names.map((n) => exists(fragmentFile(promptsDir, lang, n))));
  const missing = names.filter((_, i) => !results[i]);
  if (missing.length === 0) return '';
  return `spoken values need the "${lang}" fragments; ${missing.length} missing, e.g. ${fragmentFile(promptsDir, lang, missing[0]!)} (run scripts/make-say-fragments.sh)`;
}

interface CalendarLoad {
  byName: Record<string, HolidayCalendar>;
  files: string[];
  texts: string[];
  errors: FlowError[];
}

async function loadCalendars(flowFile: string, validation: FlowValidation): Promise<CalendarLoad> {
  const out: CalendarLoad = { byName: {}, files: [], texts: [], errors: [] };
  const seen = new Set<string>();
  for (const use of validation.calendarUses) {
    if (seen.has(use.file)) continue;
    seen.add(use.file);
    const path = resolve(dirname(flowFile), use.file);
    out.files.push(path);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      out.errors.push(...flowErrorsOf(flowFile, [{ code: C.BAD_CALENDAR, pos: use.pos, message: `node "${use.nodeId}": cannot read holiday calendar ${path}: ${reason(err)}` }]));
      continue;
    }
    out.texts.push(text);
    const parsed = parseYamlSource(text);
    if (!parsed.ok) {
      out.errors.push(...flowErrorsOf(path, parsed.problems));
      continue;
    }
    const decoded = decodeCalendar(parsed.root);
    if (!decoded.ok) out.errors.push(...flowErrorsOf(path, decoded.problems));
    else out.byName[use.file] = decoded.calendar;
  }
  return out;
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

/**
 * Typed field readers over a positioned map. Each reader checks presence, type and range, records a problem
 * at the exact position when something is wrong, and returns `undefined` so decoding can go on and report
 * every problem in one pass.
 */
import type { PromptRef } from './model.js';
import { FlowProblemCodes as C, type ProblemList } from './problems.js';
import { describeNode, type SourceEntry, type SourceMap, type SourceNode, type SourcePos } from './source.js';

/** Ids of flows, nodes and queues: they appear in events, logs and URLs, so keep them plain. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
export const ID_HINT = 'letters, digits, "_", "-" or ".", starting with a letter or digit, at most 64 characters';

/** A prompt name is a path below `<promptsDir>/<lang>/` without the extension; no segment may start with "." */
const PROMPT_NAME_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]*(?:\/[A-Za-z0-9_][A-Za-z0-9_.-]*)*$/;

export interface NumberRule {
  readonly min: number;
  readonly max: number;
  readonly integer: boolean;
  readonly unit?: string;
}

/** A prompt as written, with where it was written (the loader checks the file exists). */
export interface PromptUse {
  readonly nodeId: string;
  readonly prompt: PromptRef;
  readonly pos: SourcePos;
}

/** A reference from one node to another, with where it was written. */
export interface NodeEdge {
  readonly from: string;
  readonly target: string;
  /** The field that holds it, for messages: `next`, `options.1.goto`, `onFail`. */
  readonly field: string;
  readonly pos: SourcePos;
  /**
   * Taken without waiting for the caller or the media (a `goto`). A cycle made only of such edges would spin
   * forever inside one step, so the validator rejects it.
   */
  readonly immediate: boolean;
}

/** What decoding gathers besides the model. */
export interface DecodeContext {
  readonly problems: ProblemList;
  readonly promptUses: PromptUse[];
  readonly edges: NodeEdge[];
  /**
   * Targets that were written but could not be read (invalid, or required and missing). The graph is then
   * incomplete, so "unreachable node" would be a guess and is not reported.
   */
  lostEdges: number;
}

export class FieldReader {
  readonly problems: ProblemList;

  constructor(
    readonly map: SourceMap,
    /** Who the fields belong to, as a message prefix: `node "main-menu"` or `flow`. */
    readonly subject: string,
    /** Where "missing field" problems point: the key that owns this map. */
    readonly anchor: SourcePos,
    readonly ctx: DecodeContext,
    /** The node being read, for edges and prompt uses; '' at flow level. */
    readonly nodeId = '',
  ) {
    this.problems = ctx.problems;
  }

  entry(key: string): SourceEntry | undefined {
    return this.map.entries.find((e) => e.key === key);
  }

  has(key: string): boolean {
    return this.entry(key) !== undefined;
  }

  /** Reports every field not in `allowed`, at its key. */
  rejectUnknown(allowed: readonly string[]): void {
    for (const e of this.map.entries) {
      if (!allowed.includes(e.key)) {
        this.problems.add(
          C.UNKNOWN_FIELD,
          e.keyPos,
          `${this.subject}: unknown field "${e.key}" (allowed: ${allowed.join(', ')})`,
        );
      }
    }
  }

  missing(key: string): void {
    this.problems.add(C.MISSING_FIELD, this.anchor, `${this.subject}: missing required field "${key}"`);
  }

  wrongType(key: string, node: SourceNode, expected: string): void {
    this.problems.add(C.WRONG_TYPE, node.pos, `${this.subject}: "${key}" must be ${expected}, got ${describeNode(node)}`);
  }

  bad(key: string, node: SourceNode, why: string): void {
    this.problems.add(C.BAD_VALUE, node.pos, `${this.subject}: "${key}" ${why}`);
  }

  /** A non-empty string; `required` reports its absence. */
  string(key: string, required: boolean, hint = ''): string | undefined {
    const e = this.entry(key);
    if (!e) {
      if (required) this.missing(key);
      return undefined;
    }
    const v = e.value;
    if (v.kind !== 'scalar' || typeof v.value !== 'string') {
      this.wrongType(key, v, `a string${hint}`);
      return undefined;
    }
    if (v.value.trim() === '') {
      this.bad(key, v, 'must not be empty');
      return undefined;
    }
    return v.value;
  }

  /** A string matching `pattern`; `what` names the rule in the message. */
  matching(key: string, required: boolean, pattern: RegExp, what: string): string | undefined {
    const s = this.string(key, required);
    if (s === undefined) return undefined;
    if (!pattern.test(s)) {
      this.bad(key, this.entry(key)!.value, `must be ${what}, got ${JSON.stringify(s)}`);
      return undefined;
    }
    return s;
  }

  /** An id (flow, node or queue) in the plain id alphabet. */
  id(key: string, required: boolean): string | undefined {
    return this.matching(key, required, ID_PATTERN, `an id (${ID_HINT})`);
  }

  boolean(key: string): boolean | undefined {
    const e = this.entry(key);
    if (!e) return undefined;
    if (e.value.kind !== 'scalar' || typeof e.value.value !== 'boolean') {
      this.wrongType(key, e.value, 'true or false');
      return undefined;
    }
    return e.value.value;
  }

  number(key: string, rule: NumberRule): number | undefined {
    const e = this.entry(key);
    if (!e) return undefined;
    const v = e.value;
    if (v.kind !== 'scalar' || typeof v.value !== 'number' || !Number.isFinite(v.value)) {
      this.wrongType(key, v, rule.integer ? 'an integer' : 'a number');
      return undefined;
    }
    const n = v.value;
    const unit = rule.unit ? ` ${rule.unit}` : '';
    if ((rule.integer && !Number.isInteger(n)) || n < rule.min || n > rule.max) {
      this.problems.add(
        C.OUT_OF_RANGE,
        v.pos,
        `${this.subject}: "${key}" must be ${rule.integer ? 'an integer' : 'a number'} from ${rule.min} to ${rule.max}${unit}, got ${n}`,
      );
      return undefined;
    }
    return n;
  }

  /**
   * A node id that control can pass to. Recorded as an edge (checked against the node list later);
   * `required` reports its absence.
   */
  target(key: string, opts: { required: boolean; immediate: boolean; label?: string }): string | undefined {
    const id = this.id(key, opts.required);
    if (id === undefined) {
      if (opts.required || this.has(key)) this.ctx.lostEdges++;
      return undefined;
    }
    this.edgeAt(id, opts.label ?? key, this.entry(key)!.value.pos, opts.immediate);
    return id;
  }

  /** Records an edge read by hand (menu options). */
  edgeAt(target: string, field: string, pos: SourcePos, immediate: boolean): void {
    this.ctx.edges.push({ from: this.nodeId, target, field, pos, immediate });
  }

  /** A map value; `required` reports its absence. */
  mapField(key: string, required: boolean): SourceEntry & { value: SourceMap } | undefined {
    const e = this.entry(key);
    if (!e) {
      if (required) this.missing(key);
      return undefined;
    }
    if (e.value.kind !== 'map') {
      this.wrongType(key, e.value, 'a map');
      return undefined;
    }
    return e as SourceEntry & { value: SourceMap };
  }

  /**
   * A list of prompts: each a name (`welcome`) or `{ file: path.wav }`. Returns the prompts that are valid,
   * paired with their index so callers can point at them later (missing prompt files).
   */
  prompts(key: string, opts: { required: boolean; nonEmpty: boolean }): PromptRef[] {
    const e = this.entry(key);
    if (!e) {
      if (opts.required) this.missing(key);
      return [];
    }
    if (e.value.kind !== 'seq') {
      this.wrongType(key, e.value, 'a list of prompts, e.g. [welcome]');
      return [];
    }
    if (opts.nonEmpty && e.value.items.length === 0) {
      this.bad(key, e.value, 'must list at least one prompt');
      return [];
    }
    const out: PromptRef[] = [];
    e.value.items.forEach((item, i) => {
      const p = this.prompt(`${key}[${i}]`, item);
      if (!p) return;
      out.push(p);
      this.ctx.promptUses.push({ nodeId: this.nodeId, prompt: p, pos: item.pos });
    });
    return out;
  }

  private prompt(label: string, item: SourceNode): PromptRef | undefined {
    if (item.kind === 'scalar' && typeof item.value === 'string') {
      const name = item.value;
      if (/\.wav$/i.test(name)) {
        this.bad(label, item, `is a prompt name, which gets ".wav" added; write ${JSON.stringify(name.slice(0, -4))} or { file: ${JSON.stringify(name)} }`);
        return undefined;
      }
      if (!PROMPT_NAME_PATTERN.test(name)) {
        this.bad(label, item, `must be a prompt name (letters, digits, "_", "-", "." and "/" between folders, no segment starting with "."), got ${JSON.stringify(name)}`);
        return undefined;
      }
      return { kind: 'name', name };
    }
    if (item.kind === 'map') {
      const r = new FieldReader(item, `${this.subject}: ${label}`, item.pos, this.ctx, this.nodeId);
      r.rejectUnknown(['file']);
      const file = r.string('file', true);
      if (file === undefined) return undefined;
      if (!/\.wav$/i.test(file)) {
        r.bad('file', r.entry('file')!.value, `must be a .wav file, got ${JSON.stringify(file)}`);
        return undefined;
      }
      return { kind: 'file', file };
    }
    this.wrongType(label, item, 'a prompt name or { file: path.wav }');
    return undefined;
  }
}

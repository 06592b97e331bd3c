/**
 * Typed field readers over a positioned map, driven by field specs (spec.ts). Each reader checks presence,
 * type and range, records a problem at the exact position when something is wrong, and returns `undefined`
 * (or the spec's default) so decoding can go on and report every problem in one pass.
 */
import { parseExpr, type Expr, type ExprValue } from './expr/parser.js';
import { parseTemplate, type Template } from './expr/template.js';
import { CURRENCIES, isDtmfKey, SAY_KINDS, type Currency, type DtmfKey, type PromptRef, type SayKind } from './model.js';
import { FlowProblemCodes as C, type ProblemList } from './problems.js';
import { describeNode, posInScalar, type SourceEntry, type SourceMap, type SourceNode, type SourcePos } from './source.js';
import { PROMPT_NAME_PATTERN, type FieldSpec } from './spec.js';

import type { DecodeContext } from './decode-context.js';

export { ID_HINT, ID_PATTERN, type NumberRule } from './spec.js';
export { newDecodeContext, type Assigned, type DecodeContext, type ExprUse, type NodeEdge, type PromptUse } from './decode-context.js';

export class FieldReader {
  readonly problems: ProblemList;
  private readonly specs: ReadonlyMap<string, FieldSpec>;

  constructor(
    readonly map: SourceMap,
    /** Who the fields belong to, as a message prefix: `node "main-menu"` or `flow`. */
    readonly subject: string,
    /** Where "missing field" problems point: the key that owns this map. */
    readonly anchor: SourcePos,
    readonly ctx: DecodeContext,
    /** The node being read, for edges and prompt uses; '' at flow level. */
    readonly nodeId: string,
    specs: readonly FieldSpec[],
  ) {
    this.problems = ctx.problems;
    this.specs = new Map(specs.map((s) => [s.key, s]));
  }

  /** A reader for a nested map (an option, a case, `confirm`), sharing this one's context. */
  sub(map: SourceMap, label: string, anchor: SourcePos, specs: readonly FieldSpec[]): FieldReader {
    return new FieldReader(map, `${this.subject}: ${label}`, anchor, this.ctx, this.nodeId, specs);
  }

  entry(key: string): SourceEntry | undefined {
    return this.map.entries.find((e) => e.key === key);
  }

  has(key: string): boolean {
    return this.entry(key) !== undefined;
  }

  /** The map at `key`, if it is one (type problems are the field reader's business). */
  mapField(key: string): SourceMap | undefined {
    const e = this.entry(key);
    return e?.value.kind === 'map' ? e.value : undefined;
  }

  /** Reports every field without a spec, at its key. */
  rejectUnknown(extra: readonly string[] = []): void {
    const allowed = [...extra, ...this.specs.keys()];
    for (const e of this.map.entries) {
      if (!allowed.includes(e.key)) {
        this.problems.add(C.UNKNOWN_FIELD, e.keyPos, `${this.subject}: unknown field "${e.key}" (allowed: ${allowed.join(', ')})`);
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

  spec(key: string): FieldSpec {
    const s = this.specs.get(key);
    // A node kind reading a field it did not declare is a bug in the kind, not in the flow file.
    if (!s) throw new Error(`${this.subject}: field "${key}" has no spec`);
    return s;
  }

  /** The entry of a declared field; reports it missing when required. */
  private present(key: string): SourceEntry | undefined {
    const spec = this.spec(key);
    const e = this.entry(key);
    if (!e && spec.required) this.missing(key);
    return e;
  }

  str(key: string): string | undefined {
    const spec = this.spec(key);
    const e = this.present(key);
    if (!e) return undefined;
    const s = this.stringOf(key, e.value);
    if (s === undefined || spec.kind !== 'string' || !spec.pattern) return s;
    if (!spec.pattern.test(s)) {
      this.bad(key, e.value, `must be ${spec.what ?? `like ${spec.pattern.source}`}, got ${JSON.stringify(s)}`);
      return undefined;
    }
    return s;
  }

  /** A non-empty string at `node`. */
  stringOf(label: string, node: SourceNode): string | undefined {
    if (node.kind !== 'scalar' || typeof node.value !== 'string') {
      this.wrongType(label, node, 'a string');
      return undefined;
    }
    if (node.value.trim() === '') {
      this.bad(label, node, 'must not be empty');
      return undefined;
    }
    return node.value;
  }

  bool(key: string): boolean {
    const spec = this.spec(key);
    const fallback = spec.kind === 'boolean' ? spec.default : false;
    const e = this.present(key);
    if (!e) return fallback;
    if (e.value.kind !== 'scalar' || typeof e.value.value !== 'boolean') {
      this.wrongType(key, e.value, 'true or false');
      return fallback;
    }
    return e.value.value;
  }

  /** A number in the spec's range; the spec's default when absent (or invalid, after reporting it). */
  num(key: string): number | undefined {
    const spec = this.spec(key);
    if (spec.kind !== 'number') throw new Error(`${this.subject}: field "${key}" is not a number field`);
    const e = this.present(key);
    if (!e) return spec.default;
    const v = e.value;
    const { rule } = spec;
    if (v.kind !== 'scalar' || typeof v.value !== 'number' || !Number.isFinite(v.value)) {
      this.wrongType(key, v, rule.integer ? 'an integer' : 'a number');
      return spec.default;
    }
    const n = v.value;
    const unit = rule.unit ? ` ${rule.unit}` : '';
    if ((rule.integer && !Number.isInteger(n)) || n < rule.min || n > rule.max) {
      this.problems.add(
        C.OUT_OF_RANGE,
        v.pos,
        `${this.subject}: "${key}" must be ${rule.integer ? 'an integer' : 'a number'} from ${rule.min} to ${rule.max}${unit}, got ${n}`,
      );
      return spec.default;
    }
    return n;
  }

  oneOf<T extends string>(key: string): T | undefined {
    const spec = this.spec(key);
    if (spec.kind !== 'enum') throw new Error(`${this.subject}: field "${key}" is not an enum field`);
    const e = this.present(key);
    if (!e) return spec.default as T | undefined;
    const s = this.stringOf(key, e.value);
    if (s === undefined) return undefined;
    if (!spec.values.includes(s)) {
      this.bad(key, e.value, `must be one of ${spec.values.join(', ')}, got ${JSON.stringify(s)}`);
      return undefined;
    }
    return s as T;
  }

  /** A DTMF key (quoted in YAML when * or #); null when the spec allows "none" and says so. */
  dtmf(key: string): DtmfKey | null | undefined {
    const spec = this.spec(key);
    if (spec.kind !== 'key') throw new Error(`${this.subject}: field "${key}" is not a key field`);
    const fallback = spec.default === undefined ? null : (spec.default as DtmfKey);
    const e = this.present(key);
    if (!e) return spec.required ? undefined : fallback;
    const v = e.value;
    if (v.kind === 'scalar' && v.value === null && spec.nullable) return null;
    const text = v.kind === 'scalar' && typeof v.value === 'number' && Number.isInteger(v.value) ? String(v.value) : v.kind === 'scalar' ? v.value : undefined;
    if (typeof text !== 'string' || !isDtmfKey(text)) {
      this.problems.add(C.BAD_VALUE, v.pos, `${this.subject}: "${key}" must be one DTMF key (0-9, "*" or "#", quoted)${spec.nullable ? ' or null' : ''}, got ${describeNode(v)}`);
      return fallback;
    }
    return text;
  }

  /** A node id control can pass to; recorded as an edge (checked against the node list later). */
  target(key: string, label = key): string | undefined {
    const spec = this.spec(key);
    if (spec.kind !== 'target') throw new Error(`${this.subject}: field "${key}" is not a target field`);
    const e = this.present(key);
    if (!e) {
      if (spec.required) this.ctx.lostEdges++;
      return undefined;
    }
    return this.targetOf(label, e.value, spec.immediate);
  }

  targetOf(label: string, node: SourceNode, immediate: boolean, sub = false): string | undefined {
    const s = this.stringOf(label, node);
    if (s === undefined || !ID_RE.test(s)) {
      if (s !== undefined) this.bad(label, node, `must be a node id (${ID_HINT_TEXT}), got ${JSON.stringify(s)}`);
      this.ctx.lostEdges++;
      return undefined;
    }
    this.ctx.edges.push({ from: this.nodeId, target: s, field: label, pos: node.pos, immediate, ...(sub ? { sub } : {}) });
    return s;
  }

  /** A list of prompts: names, `{ file }` or `{ say, value }`. */
  prompts(key: string): PromptRef[] {
    const spec = this.spec(key);
    const e = this.present(key);
    if (!e) return [];
    return this.promptList(key, e.value, spec.kind === 'prompts' && spec.nonEmpty);
  }

  promptList(label: string, node: SourceNode, nonEmpty: boolean): PromptRef[] {
    if (node.kind !== 'seq') {
      this.wrongType(label, node, 'a list of prompts, e.g. [welcome]');
      return [];
    }
    if (nonEmpty && node.items.length === 0) {
      this.bad(label, node, 'must list at least one prompt');
      return [];
    }
    const out: PromptRef[] = [];
    node.items.forEach((item, i) => {
      const p = this.prompt(`${label}[${i}]`, item);
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
        this.bad(label, item, `is a prompt name, which gets ".wav" added; write ${JSON.stringify(name.replace(/\.wav$/i, ''))} or { file: ${name} }`);
        return undefined;
      }
      if (!PROMPT_NAME_PATTERN.test(name)) {
        this.bad(label, item, `must be a prompt name (letters, digits, "_", "-", "." and "/" between folders, no segment starting with "."), got ${JSON.stringify(name)}`);
        return undefined;
      }
      return { kind: 'name', name };
    }
    if (item.kind === 'map' && item.entries.some((e) => e.key === 'say')) return this.sayPrompt(label, item);
    if (item.kind === 'map') {
      const r = this.sub(item, label, item.pos, FILE_PROMPT_SPECS);
      r.rejectUnknown();
      const file = r.str('file');
      if (file === undefined) return undefined;
      if (!/\.wav$/i.test(file)) {
        r.bad('file', r.entry('file')!.value, `must be a .wav file, got ${JSON.stringify(file)}`);
        return undefined;
      }
      return { kind: 'file', file };
    }
    this.wrongType(label, item, 'a prompt name, { file: path.wav } or { say: digits, value: ... }');
    return undefined;
  }

  /** `{ say: amount, value: ${balance}, currency: CNY }` inside a prompt list (and the say node's fields). */
  sayPrompt(label: string, map: SourceMap): Extract<PromptRef, { kind: 'say' }> | undefined {
    const r = this.sub(map, label, map.pos, SAY_PROMPT_SPECS);
    r.rejectUnknown();
    const as = r.oneOf<SayKind>('say');
    const value = r.template('value');
    const currency = r.oneOf<Currency>('currency') ?? 'CNY';
    if (as === undefined || value === undefined) return undefined;
    return { kind: 'say', as, value, currency };
  }

  /** A template (`${...}` parts) at a declared field. */
  template(key: string): Template | undefined {
    const spec = this.spec(key);
    const e = this.present(key);
    if (!e) return undefined;
    return this.templateOf(key, e.value, spec.kind === 'template' && spec.scalars);
  }

  templateOf(label: string, node: SourceNode, scalars: boolean): Template | undefined {
    if (node.kind === 'scalar' && scalars && (typeof node.value === 'number' || typeof node.value === 'boolean')) {
      return { parts: [{ text: String(node.value) }] };
    }
    const s = node.kind === 'scalar' && typeof node.value === 'string' ? node.value : undefined;
    if (s === undefined) {
      this.wrongType(label, node, scalars ? 'a text, a number or true/false' : 'a text');
      return undefined;
    }
    const parsed = parseTemplate(s);
    if (!parsed.ok) {
      this.problems.add(C.BAD_EXPRESSION, posInScalar(node, parsed.error.offset), `${this.subject}: "${label}": ${parsed.error.message}`);
      return undefined;
    }
    for (const p of parsed.template.parts) {
      if ('expr' in p) this.ctx.exprUses.push({ nodeId: this.nodeId, expr: p.expr, node, base: p.offset });
    }
    return parsed.template;
  }

  /** An expression at a declared field (a condition). true/false are accepted as constant conditions. */
  expr(key: string): Expr | undefined {
    const e = this.present(key);
    if (!e) return undefined;
    return this.exprOf(key, e.value);
  }

  exprOf(label: string, node: SourceNode): Expr | undefined {
    if (node.kind === 'scalar' && typeof node.value === 'boolean') return { k: 'lit', value: node.value, offset: 0 };
    if (node.kind !== 'scalar' || typeof node.value !== 'string') {
      this.wrongType(label, node, "an expression such as \"caller_class == 'vip'\"");
      return undefined;
    }
    const parsed = parseExpr(node.value);
    if (!parsed.ok) {
      this.problems.add(C.BAD_EXPRESSION, posInScalar(node, parsed.error.offset), `${this.subject}: "${label}": ${parsed.error.message}`);
      return undefined;
    }
    this.ctx.exprUses.push({ nodeId: this.nodeId, expr: parsed.expr, node, base: 0 });
    return parsed.expr;
  }

  /** Records that this node writes a variable (collect into, set, http map). */
  assigns(name: string, pos: SourcePos, sensitive = false): void {
    this.ctx.assigned.push({ name, pos, sensitive });
  }

  /** A literal scalar value (for variable initial values). */
  scalarOf(label: string, node: SourceNode): ExprValue | undefined {
    if (node.kind !== 'scalar') {
      this.wrongType(label, node, 'a text, a number, true/false or null');
      return undefined;
    }
    return node.value;
  }
}

const ID_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const ID_HINT_TEXT = 'letters, digits, "_", "-" or ".", starting with a letter or digit';

const FILE_PROMPT_SPECS: readonly FieldSpec[] = [{ kind: 'string', key: 'file', doc: 'a WAV file', required: true }];

export const SAY_PROMPT_SPECS: readonly FieldSpec[] = [
  { kind: 'enum', key: 'say', doc: 'what the value is: digits, number, amount, date, time or duration', required: true, values: SAY_KINDS },
  { kind: 'template', key: 'value', doc: 'the value, usually a template such as ${order_id}', required: true, scalars: true },
  { kind: 'enum', key: 'currency', doc: 'currency of an amount (ISO 4217)', required: false, values: CURRENCIES, default: 'CNY' },
];

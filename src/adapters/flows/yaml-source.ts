/**
 * YAML text → the domain's positioned source tree (domain/flow/source.ts), keeping the line and column of
 * every key and value. Syntax errors come back as problems with positions too, so `file:line:col` works for
 * every kind of mistake. Aliases are expanded with a budget, so a hostile file cannot blow up memory.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Alias, type Document, type Node } from 'yaml';
import { FlowProblemCodes as C, type FlowProblem } from '../../domain/flow/problems.js';
import type { ScalarStyle, SourceEntry, SourceNode, SourcePos } from '../../domain/flow/source.js';

/** Nodes a document may expand to, aliases included; far above any real flow (hundreds of nodes). */
export const MAX_SOURCE_NODES = 50_000;

export type YamlSourceResult = { ok: true; root: SourceNode } | { ok: false; problems: FlowProblem[] };

export function parseYamlSource(text: string): YamlSourceResult {
  const lineCounter = new LineCounter();
  // prettyErrors off: messages stay one line; the position is reported separately as line:col.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const posAt = (offset: number): SourcePos => {
    const { line, col } = lineCounter.linePos(offset);
    // linePos reports line 0 before the first newline is known (a one-line file without a newline).
    return { line: Math.max(1, line), col: Math.max(1, col) };
  };
  const syntax = [...doc.errors, ...doc.warnings].map((e) => ({
    code: C.YAML_SYNTAX,
    pos: posAt(e.pos[0]),
    message: `YAML: ${e.message}${hintFor(text, e.pos[0])}`,
  }));
  if (syntax.length > 0) return { ok: false, problems: syntax.sort((a, b) => a.pos.line - b.pos.line || a.pos.col - b.pos.col) };

  const converter = new Converter(doc, posAt);
  const root = converter.convert(doc.contents, { line: 1, col: 1 });
  if (converter.problems.length > 0) return { ok: false, problems: converter.problems };
  return { ok: true, root };
}

class Converter {
  readonly problems: FlowProblem[] = [];
  private count = 0;
  /** Alias targets being expanded, to catch an alias inside its own anchor. */
  private readonly expanding = new Set<Node>();

  constructor(
    private readonly doc: Document,
    private readonly posAt: (offset: number) => SourcePos,
  ) {}

  convert(node: unknown, fallback: SourcePos): SourceNode {
    const pos = this.posOf(node, fallback);
    if (++this.count > MAX_SOURCE_NODES) {
      if (this.count === MAX_SOURCE_NODES + 1) {
        this.problem(pos, `YAML: the document expands to more than ${MAX_SOURCE_NODES} values (aliases included)`);
      }
      return { kind: 'scalar', pos, value: null };
    }
    if (node === null || node === undefined) return { kind: 'scalar', pos, value: null };
    if (isAlias(node)) return this.alias(node, pos);
    if (isScalar(node)) return this.scalar(node.value, pos, styleOf(node.type));
    if (isSeq(node)) return { kind: 'seq', pos, items: node.items.map((item) => this.convert(item, pos)) };
    if (isMap(node)) return { kind: 'map', pos, entries: this.entries(node.items, pos) };
    this.problem(pos, 'YAML: unsupported value here');
    return { kind: 'scalar', pos, value: null };
  }

  private alias(node: Alias, pos: SourcePos): SourceNode {
    const target: Node | undefined = node.resolve(this.doc);
    if (!target) {
      this.problem(pos, `YAML: alias *${node.source} refers to no anchor &${node.source} before it`);
      return { kind: 'scalar', pos, value: null };
    }
    if (this.expanding.has(target)) {
      this.problem(pos, `YAML: alias *${node.source} refers to a value that contains it`);
      return { kind: 'scalar', pos, value: null };
    }
    this.expanding.add(target);
    const converted = this.convert(target, pos);
    this.expanding.delete(target);
    return converted;
  }

  private scalar(value: unknown, pos: SourcePos, style: ScalarStyle | undefined): SourceNode {
    if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      return style ? { kind: 'scalar', pos, value, style } : { kind: 'scalar', pos, value };
    }
    this.problem(pos, 'YAML: unsupported scalar here (use a string, number, true/false or null)');
    return { kind: 'scalar', pos, value: null };
  }

  private entries(items: readonly unknown[], mapPos: SourcePos): SourceEntry[] {
    const out: SourceEntry[] = [];
    for (const pair of items) {
      if (!isPair(pair)) continue;
      const keyPos = this.posOf(pair.key, this.posOf(pair.value, mapPos));
      let key: string;
      if (isScalar(pair.key) && (pair.key.value === null || typeof pair.key.value !== 'object')) {
        // The source text, not the parsed value: an option key written 01 or 1.0 must stay as written.
        key = pair.key.source ?? String(pair.key.value);
      } else {
        this.problem(keyPos, 'YAML: map keys must be plain strings');
        continue;
      }
      out.push({ key, keyPos, value: this.convert(pair.value, keyPos) });
    }
    return out;
  }

  private posOf(node: unknown, fallback: SourcePos): SourcePos {
    const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
    return range ? this.posAt(range[0]) : fallback;
  }

  private problem(pos: SourcePos, message: string): void {
    this.problems.push({ code: C.YAML_SYNTAX, pos, message });
  }
}

function styleOf(type: string | undefined): ScalarStyle | undefined {
  switch (type) {
    case 'PLAIN':
      return 'plain';
    case 'QUOTE_SINGLE':
      return 'single';
    case 'QUOTE_DOUBLE':
      return 'double';
    case 'BLOCK_LITERAL':
    case 'BLOCK_FOLDED':
      return 'block';
    default:
      return undefined;
  }
}

/** YAML reads an unquoted `*` as an alias and `#` as a comment: the usual trap with DTMF option keys. */
function hintFor(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const lineEnd = text.indexOf('\n', offset);
  const line = text.slice(lineStart, lineEnd < 0 ? undefined : lineEnd);
  return /^\s*\*\s*:/.test(line) ? ' (a "*" key must be quoted: "*": { goto: ... })' : '';
}

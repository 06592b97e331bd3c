/**
 * A positioned source tree: the shape of a flow document with the line and column of every key and value.
 * The YAML adapter builds it from the `yaml` package's document (adapters/flows/yaml-source.ts); the domain
 * reads only this, so validation stays pure and independent of the file format.
 */

/** 1-based line and column, as editors show them. */
export interface SourcePos {
  readonly line: number;
  readonly col: number;
}

export type ScalarValue = string | number | boolean | null;

export interface SourceEntry {
  readonly key: string;
  readonly keyPos: SourcePos;
  readonly value: SourceNode;
}

export type SourceNode =
  | { readonly kind: 'map'; readonly pos: SourcePos; readonly entries: readonly SourceEntry[] }
  | { readonly kind: 'seq'; readonly pos: SourcePos; readonly items: readonly SourceNode[] }
  | {
      readonly kind: 'scalar';
      readonly pos: SourcePos;
      readonly value: ScalarValue;
      /**
       * How the scalar was written, when known: lets an expression problem point at its exact column
       * (`pos` is where the token starts; a quoted string's text starts one column later).
       */
      readonly style?: ScalarStyle;
    };

export type ScalarStyle = 'plain' | 'single' | 'double' | 'block';

export type SourceMap = Extract<SourceNode, { kind: 'map' }>;

/** Where a flow was given without a source (built in code): problems still carry a position. */
export const NO_POS: SourcePos = { line: 0, col: 0 };

/** A path into the document: map keys and sequence indexes, e.g. ['nodes', 'main-menu', 'options', '1', 'goto']. */
export type SourcePath = readonly (string | number)[];

/** Finds where a path points: the value's position, or that of the deepest ancestor that exists. */
export function locate(root: SourceNode | undefined, path: SourcePath): SourcePos {
  if (!root) return NO_POS;
  let node: SourceNode = root;
  for (const step of path) {
    const child = childOf(node, step);
    if (!child) return node.pos;
    node = child;
  }
  return node.pos;
}

/** Position of a map key (where an "unknown field" or "duplicate" problem should point). */
export function locateKey(root: SourceNode | undefined, path: SourcePath): SourcePos {
  if (!root || path.length === 0) return locate(root, path);
  const parent = locateNode(root, path.slice(0, -1));
  const last = path[path.length - 1];
  if (parent?.kind === 'map') {
    const entry = parent.entries.find((e) => e.key === String(last));
    if (entry) return entry.keyPos;
  }
  return locate(root, path);
}

function locateNode(root: SourceNode, path: SourcePath): SourceNode | undefined {
  let node: SourceNode | undefined = root;
  for (const step of path) {
    if (!node) return undefined;
    node = childOf(node, step);
  }
  return node;
}

function childOf(node: SourceNode, step: string | number): SourceNode | undefined {
  if (node.kind === 'map') return node.entries.find((e) => e.key === String(step))?.value;
  if (node.kind === 'seq' && typeof step === 'number') return node.items[step];
  return undefined;
}

/** How a value is described in "expected X, got Y" messages. */
export function describeNode(node: SourceNode): string {
  if (node.kind === 'map') return 'a map';
  if (node.kind === 'seq') return 'a list';
  const v = node.value;
  if (v === null) return 'nothing (null)';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 37)}...` : v)}`;
  return `${typeof v} ${String(v)}`;
}

/**
 * Where character `offset` of a string scalar's text sits in the file. Exact for one-line plain and quoted
 * scalars without escapes; otherwise (block scalars, escapes, line breaks) the scalar's own position.
 */
export function posInScalar(node: SourceNode, offset: number): SourcePos {
  if (node.kind !== 'scalar' || typeof node.value !== 'string') return node.pos;
  const text = node.value;
  if (text.includes('\n') || node.style === undefined || node.style === 'block') return node.pos;
  if (node.style === 'plain') return { line: node.pos.line, col: node.pos.col + offset };
  // A quoted scalar's value may differ from its source by escapes (\" or ''): positions past one are guesses.
  return { line: node.pos.line, col: node.pos.col + 1 + offset };
}

/**
 * Decodes a positioned source tree into the flow model, field by field, recording every problem it meets.
 * Node kinds decode themselves (kinds/); this module reads the flow's own fields and dispatches.
 */
import { FieldReader, ID_HINT, ID_PATTERN, type DecodeContext } from './fields.js';
import { NODE_KINDS, NODE_TYPES, isNodeType } from './kinds/index.js';
import type { NodeKind } from './kinds/kind.js';
import type { Flow, FlowNode, FlowNodeType, NodeOfType } from './model.js';
import { FlowProblemCodes as C } from './problems.js';
import { describeNode, type SourceNode, type SourcePos } from './source.js';

/** Languages name a prompts folder: BCP 47-like tags such as `zh`, `en`, `zh-CN`, `yue`. */
const LANGUAGE_PATTERN = /^[a-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$/;
const FLOW_FIELDS = ['id', 'version', 'language', 'start', 'nodes'] as const;

export interface DecodedFlow {
  /** Best effort: fallbacks stand in for invalid fields. Use it only when no problem was recorded. */
  readonly flow: Flow;
  /** Where each node's key is written (unreachable-node problems point there). */
  readonly nodePos: Readonly<Record<string, SourcePos>>;
  /** Node ids that exist but could not be decoded at all (unknown or missing type, not a map). */
  readonly undecodedIds: ReadonlySet<string>;
  readonly startPos: SourcePos;
}

export function decodeFlow(root: SourceNode, ctx: DecodeContext): DecodedFlow {
  const nodes: Record<string, FlowNode> = {};
  const nodePos: Record<string, SourcePos> = {};
  const undecodedIds = new Set<string>();
  const empty: DecodedFlow = {
    flow: { id: '', version: '', language: '', start: '', nodes },
    nodePos,
    undecodedIds,
    startPos: root.pos,
  };
  if (root.kind !== 'map') {
    ctx.problems.add(
      C.NOT_A_FLOW,
      root.pos,
      `a flow file must be a map with ${FLOW_FIELDS.join(', ')}; got ${describeNode(root)}`,
    );
    return empty;
  }

  const r = new FieldReader(root, 'flow', root.pos, ctx);
  r.rejectUnknown(FLOW_FIELDS);
  const id = r.id('id', true) ?? '';
  const version = readVersion(r);
  const language = r.matching('language', true, LANGUAGE_PATTERN, 'a language tag such as zh, en or zh-CN') ?? '';
  const start = r.id('start', true) ?? '';
  const startPos = r.entry('start')?.value.pos ?? root.pos;

  const nodesField = r.mapField('nodes', true);
  if (nodesField && nodesField.value.entries.length === 0) {
    r.bad('nodes', nodesField.value, 'must define at least one node');
  }
  for (const e of nodesField?.value.entries ?? []) {
    nodePos[e.key] = e.keyPos;
    const node = decodeNode(e.key, e.keyPos, e.value, ctx);
    if (node) nodes[e.key] = node;
    else undecodedIds.add(e.key);
  }
  return { flow: { id, version, language, start, nodes }, nodePos, undecodedIds, startPos };
}

/** `version` is a label, not a number: `1.10` written bare would become 1.1, so ask for quotes. */
function readVersion(r: FieldReader): string {
  const e = r.entry('version');
  if (e?.value.kind === 'scalar' && typeof e.value.value === 'number') {
    r.problems.add(C.WRONG_TYPE, e.value.pos, `flow: "version" must be a string; write it quoted: version: "${e.value.value}"`);
    return '';
  }
  return r.string('version', true) ?? '';
}

function decodeNode(id: string, keyPos: SourcePos, value: SourceNode, ctx: DecodeContext): FlowNode | undefined {
  const subject = `node "${id}"`;
  if (!ID_PATTERN.test(id)) {
    ctx.problems.add(C.BAD_VALUE, keyPos, `${subject}: a node id must be ${ID_HINT}`);
  }
  if (value.kind !== 'map') {
    ctx.problems.add(C.WRONG_TYPE, value.pos, `${subject}: must be a map with a "type" field, got ${describeNode(value)}`);
    return undefined;
  }
  const r = new FieldReader(value, subject, keyPos, ctx, id);
  const type = r.string('type', true);
  if (type === undefined) return undefined;
  if (!isNodeType(type)) {
    ctx.problems.add(
      C.UNKNOWN_NODE_TYPE,
      r.entry('type')!.value.pos,
      `${subject}: unknown node type ${JSON.stringify(type)} (known: ${NODE_TYPES.join(', ')})`,
    );
    return undefined;
  }
  const kind = NODE_KINDS[type] as NodeKind<FlowNodeType>;
  r.rejectUnknown(['type', ...kind.fields]);
  return kind.decode(r, id) as NodeOfType<typeof type>;
}

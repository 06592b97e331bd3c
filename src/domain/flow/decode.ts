/**
 * Decodes a positioned source tree into the flow model, field by field, recording every problem it meets.
 * Node kinds decode themselves (kinds/); this module reads the flow's own fields and dispatches.
 */
import type { ExprValue } from './expr/parser.js';
import { RESERVED_ROOTS } from './expr/check.js';
import { FieldReader, type DecodeContext } from './fields.js';
import { NODE_KINDS, NODE_TYPES, isNodeType } from './kinds/index.js';
import type { NodeKind } from './kinds/kind.js';
import { DEFAULT_TIMEZONE, type Flow, type FlowNode, type FlowNodeType, type NodeOfType, type VariableDecl } from './model.js';
import { FlowProblemCodes as C } from './problems.js';
import { describeNode, type SourceNode, type SourcePos } from './source.js';
import { f, ID_HINT, ID_PATTERN, LANGUAGE_PATTERN, VARIABLE_HINT, VARIABLE_PATTERN, type FieldSpec } from './spec.js';
import { isValidTimeZone } from './time/wall-clock.js';

const EXTERNAL_NUMBER = /^\+?[0-9]{3,20}$/;

/** The flow's own fields; the schema generator reads the same list. */
export const FLOW_SPECS: readonly FieldSpec[] = [
  f.id('id', 'the flow id; config/hotline.yaml maps dialed numbers to it', { required: true }),
  f.string('version', 'a version label, quoted ("3", "2026-11-23a"); recorded with every call', { required: true }),
  f.string('language', 'default prompt language: the folder under prompts/ (zh, en ...)', { required: true, pattern: LANGUAGE_PATTERN, what: 'a language tag such as zh, en or zh-CN' }),
  f.string('timezone', 'IANA time zone for now.* and hours nodes (default Asia/Shanghai)', { examples: ['Asia/Shanghai'] }),
  f.id('start', 'the node every call starts at', { required: true }),
  f.custom('variables', 'variables with their initial value: name: value, or name: { value, sensitive: true }', {
    type: 'object',
    propertyNames: { pattern: VARIABLE_PATTERN.source },
    additionalProperties: {
      oneOf: [
        { type: ['string', 'number', 'boolean', 'null'] },
        { type: 'object', additionalProperties: false, properties: { value: { type: ['string', 'number', 'boolean', 'null'] }, sensitive: { type: 'boolean' } } },
      ],
    },
  }),
  f.custom('prompts', 'what each prompt says, per language: welcome: { zh: 您好…, en: Welcome… }', {
    type: 'object',
    additionalProperties: { oneOf: [{ type: 'string' }, { type: 'object', additionalProperties: { type: 'string' } }] },
  }),
  f.custom('externalNumbers', 'the allow-list of numbers transfer nodes may call, by name', {
    type: 'object',
    propertyNames: { pattern: ID_PATTERN.source },
    additionalProperties: { type: 'string', pattern: EXTERNAL_NUMBER.source },
  }),
  f.custom('nodes', 'the nodes by id', { type: 'object', minProperties: 1, additionalProperties: { $ref: '#/definitions/node' } }, { required: true }),
];

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
  const emptyFlow: Flow = {
    id: '',
    version: '',
    language: '',
    languages: [],
    timezone: DEFAULT_TIMEZONE,
    start: '',
    variables: {},
    transcripts: {},
    externalNumbers: {},
    calendars: {},
    nodes,
  };
  if (root.kind !== 'map') {
    ctx.problems.add(C.NOT_A_FLOW, root.pos, `a flow file must be a map with id, version, language, start, nodes; got ${describeNode(root)}`);
    return { flow: emptyFlow, nodePos, undecodedIds, startPos: root.pos };
  }

  const r = new FieldReader(root, 'flow', root.pos, ctx, '', FLOW_SPECS);
  r.rejectUnknown();
  const id = r.str('id') ?? '';
  const version = readVersion(r);
  const language = r.str('language') ?? '';
  const timezone = r.str('timezone') ?? DEFAULT_TIMEZONE;
  if (r.has('timezone') && !isValidTimeZone(timezone)) {
    ctx.problems.add(C.BAD_VALUE, r.entry('timezone')!.value.pos, `flow: unknown time zone ${JSON.stringify(timezone)} (e.g. Asia/Shanghai)`);
  }
  const start = r.str('start') ?? '';
  const startPos = r.entry('start')?.value.pos ?? root.pos;
  ctx.declared = readVariables(r);
  ctx.externalNumbers = readExternalNumbers(r);
  const transcripts = readTranscripts(r, language);

  const nodesEntry = r.entry('nodes');
  if (!nodesEntry) r.missing('nodes');
  else if (nodesEntry.value.kind !== 'map') r.wrongType('nodes', nodesEntry.value, 'a map');
  else if (nodesEntry.value.entries.length === 0) r.bad('nodes', nodesEntry.value, 'must define at least one node');
  else {
    for (const e of nodesEntry.value.entries) {
      nodePos[e.key] = e.keyPos;
      const node = decodeNode(e.key, e.keyPos, e.value, ctx);
      if (node) nodes[e.key] = node;
      else undecodedIds.add(e.key);
    }
  }
  const languages = [...new Set([language, ...ctx.languages.map((l) => l.language)].filter((l) => l !== ''))];
  const flow: Flow = {
    id,
    version,
    language,
    languages,
    timezone,
    start,
    variables: collectVariables(ctx),
    transcripts,
    externalNumbers: ctx.externalNumbers,
    calendars: {},
    nodes,
  };
  return { flow, nodePos, undecodedIds, startPos };
}

/** `version` is a label, not a number: `1.10` written bare would become 1.1, so ask for quotes. */
function readVersion(r: FieldReader): string {
  const e = r.entry('version');
  if (e?.value.kind === 'scalar' && typeof e.value.value === 'number') {
    r.problems.add(C.WRONG_TYPE, e.value.pos, `flow: "version" must be a string; write it quoted: version: "${e.value.value}"`);
    return '';
  }
  return r.str('version') ?? '';
}

const VARIABLE_SPECS: readonly FieldSpec[] = [
  f.custom('value', 'initial value', { type: ['string', 'number', 'boolean', 'null'] }),
  f.boolean('sensitive', 'masked to the last 4 characters in events and logs', false),
];

function readVariables(r: FieldReader): Record<string, VariableDecl> {
  const out: Record<string, VariableDecl> = {};
  const e = r.entry('variables');
  if (!e) return out;
  if (e.value.kind !== 'map') {
    r.wrongType('variables', e.value, 'a map of name → initial value');
    return out;
  }
  for (const v of e.value.entries) {
    if (!checkVariableName(r, v.key, v.keyPos)) continue;
    if (v.value.kind === 'map') {
      const d = r.sub(v.value, `variables.${v.key}`, v.keyPos, VARIABLE_SPECS);
      d.rejectUnknown();
      const value = d.entry('value');
      const initial: ExprValue | undefined = value ? d.scalarOf('value', value.value) : null;
      out[v.key] = { initial: initial ?? null, sensitive: d.bool('sensitive') };
    } else {
      const initial = r.scalarOf(`variables.${v.key}`, v.value);
      out[v.key] = { initial: initial ?? null, sensitive: false };
    }
  }
  return out;
}

function checkVariableName(r: FieldReader, name: string, pos: SourcePos): boolean {
  if (!VARIABLE_PATTERN.test(name)) {
    r.problems.add(C.BAD_VALUE, pos, `flow: variable "${name}" is not a variable name (${VARIABLE_HINT})`);
    return false;
  }
  if (RESERVED_ROOTS.has(name)) {
    r.problems.add(C.READ_ONLY_VARIABLE, pos, `flow: "${name}" is a built-in name; choose another variable name`);
    return false;
  }
  return true;
}

function readExternalNumbers(r: FieldReader): Record<string, string> {
  const out: Record<string, string> = {};
  const e = r.entry('externalNumbers');
  if (!e) return out;
  if (e.value.kind !== 'map') {
    r.wrongType('externalNumbers', e.value, 'a map of name → number');
    return out;
  }
  for (const n of e.value.entries) {
    if (!ID_PATTERN.test(n.key)) {
      r.problems.add(C.BAD_VALUE, n.keyPos, `flow: externalNumbers: "${n.key}" must be ${ID_HINT}`);
      continue;
    }
    const v = n.value;
    const text = v.kind === 'scalar' && typeof v.value === 'string' ? v.value : undefined;
    if (text === undefined || !EXTERNAL_NUMBER.test(text)) {
      r.problems.add(C.BAD_VALUE, v.pos, `flow: externalNumbers.${n.key} must be a quoted number of 3-20 digits (a leading + allowed), got ${describeNode(v)}`);
      continue;
    }
    out[n.key] = text;
  }
  return out;
}

function readTranscripts(r: FieldReader, language: string): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  const e = r.entry('prompts');
  if (!e) return out;
  if (e.value.kind !== 'map') {
    r.wrongType('prompts', e.value, 'a map of prompt name → text per language');
    return out;
  }
  for (const p of e.value.entries) {
    const v = p.value;
    if (v.kind === 'scalar' && typeof v.value === 'string') {
      out[p.key] = language ? { [language]: v.value } : {};
    } else if (v.kind === 'map') {
      const texts: Record<string, string> = {};
      for (const t of v.entries) {
        if (!LANGUAGE_PATTERN.test(t.key)) r.problems.add(C.BAD_VALUE, t.keyPos, `flow: prompts.${p.key}: "${t.key}" is not a language tag`);
        else if (t.value.kind === 'scalar' && typeof t.value.value === 'string') texts[t.key] = t.value.value;
        else r.wrongType(`prompts.${p.key}.${t.key}`, t.value, 'a text');
      }
      out[p.key] = texts;
    } else r.wrongType(`prompts.${p.key}`, v, 'a text or a map of language → text');
  }
  return out;
}

/** Declared variables plus those nodes write; sensitive when either says so. */
function collectVariables(ctx: DecodeContext): Record<string, VariableDecl> {
  const out: Record<string, VariableDecl> = { ...ctx.declared };
  for (const a of ctx.assigned) {
    if (RESERVED_ROOTS.has(a.name)) {
      ctx.problems.add(C.READ_ONLY_VARIABLE, a.pos, `"${a.name}" is a built-in name and cannot be set; choose another variable name`);
      continue;
    }
    const prev = out[a.name];
    out[a.name] = { initial: prev?.initial ?? null, sensitive: (prev?.sensitive ?? false) || a.sensitive };
  }
  return out;
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
  const typeEntry = value.entries.find((e) => e.key === 'type');
  if (!typeEntry) {
    ctx.problems.add(C.MISSING_FIELD, keyPos, `${subject}: missing required field "type"`);
    return undefined;
  }
  const tv = typeEntry.value;
  if (tv.kind !== 'scalar' || typeof tv.value !== 'string' || tv.value.trim() === '') {
    ctx.problems.add(C.WRONG_TYPE, tv.pos, `${subject}: "type" must be a string, got ${describeNode(tv)}`);
    return undefined;
  }
  const type = tv.value;
  if (!isNodeType(type)) {
    ctx.problems.add(C.UNKNOWN_NODE_TYPE, tv.pos, `${subject}: unknown node type ${JSON.stringify(type)} (known: ${NODE_TYPES.join(', ')})`);
    return undefined;
  }
  const kind = NODE_KINDS[type] as NodeKind<FlowNodeType>;
  const r = new FieldReader(value, subject, keyPos, ctx, id, kind.fields);
  r.rejectUnknown(['type']);
  return kind.decode(r, id) as NodeOfType<typeof type>;
}

/**
 * Field specifications: the one source of what a flow file may contain. The validator reads fields through
 * them (fields.ts: allowed keys, required keys, types, ranges, defaults) and the JSON Schema published for
 * editors (schema.ts → ivr-flows/schema.json) is generated from them, so the two cannot drift apart.
 */
import { CURRENCIES, SAY_KINDS } from './model.js';

export type JsonSchema = { readonly [key: string]: unknown };

export interface NumberRule {
  readonly min: number;
  readonly max: number;
  readonly integer: boolean;
  readonly unit?: string;
}

/** Ids of flows, nodes and queues: they appear in events, logs and URLs, so keep them plain. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
export const ID_HINT = 'letters, digits, "_", "-" or ".", starting with a letter or digit, at most 64 characters';

/** Variable names: usable bare in expressions, so no "-" or "." (they are operators there). */
export const VARIABLE_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
export const VARIABLE_HINT = 'letters, digits and "_", not starting with a digit (e.g. order_id)';

/** A prompt name is a path below `<promptsDir>/<lang>/` without the extension; no segment may start with "." */
export const PROMPT_NAME_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]*(?:\/[A-Za-z0-9_][A-Za-z0-9_.-]*)*$/;

/** Languages name a prompts folder: BCP 47-like tags such as `zh`, `en`, `zh-CN`, `yue`. */
export const LANGUAGE_PATTERN = /^[a-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$/;

/** Causes and mailbox names are tokens: they go into events, logs and paths unquoted. */
export const TOKEN_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

interface SpecBase {
  readonly key: string;
  readonly doc: string;
  readonly required: boolean;
}

export type FieldSpec =
  | (SpecBase & { readonly kind: 'string'; readonly pattern?: RegExp; readonly what?: string; readonly examples?: readonly string[] })
  | (SpecBase & { readonly kind: 'boolean'; readonly default: boolean })
  | (SpecBase & { readonly kind: 'number'; readonly rule: NumberRule; readonly default?: number })
  | (SpecBase & { readonly kind: 'enum'; readonly values: readonly string[]; readonly default?: string })
  /** A node id control can pass to; `immediate` when taken without waiting (goto-like). */
  | (SpecBase & { readonly kind: 'target'; readonly immediate: boolean })
  | (SpecBase & { readonly kind: 'prompts'; readonly nonEmpty: boolean })
  | (SpecBase & { readonly kind: 'key'; readonly default?: string; readonly nullable: boolean })
  /** Text with `${expression}` parts; numbers and true/false are accepted as literal text when `scalars`. */
  | (SpecBase & { readonly kind: 'template'; readonly scalars: boolean })
  | (SpecBase & { readonly kind: 'expr' })
  /** Read by hand in the node kind; `schema` describes it for editors. */
  | (SpecBase & { readonly kind: 'custom'; readonly schema: JsonSchema });

type Opt = { required?: boolean };

/** Spec constructors. The first two arguments are always the key and a one-line description. */
export const f = {
  string: (key: string, doc: string, o: Opt & { pattern?: RegExp; what?: string; examples?: string[] } = {}): FieldSpec => ({
    kind: 'string',
    key,
    doc,
    required: o.required ?? false,
    ...(o.pattern ? { pattern: o.pattern } : {}),
    ...(o.what ? { what: o.what } : {}),
    ...(o.examples ? { examples: o.examples } : {}),
  }),
  id: (key: string, doc: string, o: Opt = {}): FieldSpec => f.string(key, doc, { ...o, pattern: ID_PATTERN, what: `an id (${ID_HINT})` }),
  variable: (key: string, doc: string, o: Opt = {}): FieldSpec =>
    f.string(key, doc, { ...o, pattern: VARIABLE_PATTERN, what: `a variable name (${VARIABLE_HINT})` }),
  boolean: (key: string, doc: string, def: boolean): FieldSpec => ({ kind: 'boolean', key, doc, required: false, default: def }),
  number: (key: string, doc: string, rule: NumberRule, o: Opt & { default?: number } = {}): FieldSpec => ({
    kind: 'number',
    key,
    doc,
    rule,
    required: o.required ?? false,
    ...(o.default !== undefined ? { default: o.default } : {}),
  }),
  enum: (key: string, doc: string, values: readonly string[], o: Opt & { default?: string } = {}): FieldSpec => ({
    kind: 'enum',
    key,
    doc,
    values,
    required: o.required ?? false,
    ...(o.default !== undefined ? { default: o.default } : {}),
  }),
  target: (key: string, doc: string, o: Opt & { immediate?: boolean } = {}): FieldSpec => ({
    kind: 'target',
    key,
    doc,
    required: o.required ?? false,
    immediate: o.immediate ?? false,
  }),
  prompts: (key: string, doc: string, o: Opt & { nonEmpty?: boolean } = {}): FieldSpec => ({
    kind: 'prompts',
    key,
    doc,
    required: o.required ?? false,
    nonEmpty: o.nonEmpty ?? false,
  }),
  key: (key: string, doc: string, o: Opt & { default?: string; nullable?: boolean } = {}): FieldSpec => ({
    kind: 'key',
    key,
    doc,
    required: o.required ?? false,
    nullable: o.nullable ?? false,
    ...(o.default !== undefined ? { default: o.default } : {}),
  }),
  template: (key: string, doc: string, o: Opt & { scalars?: boolean } = {}): FieldSpec => ({
    kind: 'template',
    key,
    doc,
    required: o.required ?? false,
    scalars: o.scalars ?? false,
  }),
  expr: (key: string, doc: string, o: Opt = {}): FieldSpec => ({ kind: 'expr', key, doc, required: o.required ?? false }),
  custom: (key: string, doc: string, schema: JsonSchema, o: Opt = {}): FieldSpec => ({ kind: 'custom', key, doc, schema, required: o.required ?? false }),
};

export const DTMF_KEY_SCHEMA: JsonSchema = { type: 'string', enum: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '#'] };

export const PROMPT_SCHEMA: JsonSchema = {
  oneOf: [
    { type: 'string', pattern: PROMPT_NAME_PATTERN.source, description: 'a prompt name: <promptsDir>/<language>/<name>.wav' },
    {
      type: 'object',
      description: 'a WAV file, absolute or relative to the prompts folder, the same in every language',
      required: ['file'],
      additionalProperties: false,
      properties: { file: { type: 'string', pattern: '\\.[Ww][Aa][Vv]$' } },
    },
    {
      type: 'object',
      description: 'a value spoken from recorded fragments',
      required: ['say', 'value'],
      additionalProperties: false,
      properties: {
        say: { enum: [...SAY_KINDS] },
        value: { type: ['string', 'number'], description: 'a template such as ${order_id}' },
        currency: { enum: [...CURRENCIES], default: 'CNY' },
      },
    },
  ],
};

/** The JSON Schema of one field's value, with its description and default. */
export function specSchema(spec: FieldSpec): JsonSchema {
  const doc = { description: spec.doc };
  switch (spec.kind) {
    case 'string':
      return { type: 'string', minLength: 1, ...(spec.pattern ? { pattern: spec.pattern.source } : {}), ...(spec.examples ? { examples: spec.examples } : {}), ...doc };
    case 'boolean':
      return { type: 'boolean', default: spec.default, ...doc };
    case 'number': {
      const { min, max, integer } = spec.rule;
      return { type: integer ? 'integer' : 'number', minimum: min, maximum: max, ...(spec.default !== undefined ? { default: spec.default } : {}), ...doc };
    }
    case 'enum':
      return { enum: [...spec.values], ...(spec.default !== undefined ? { default: spec.default } : {}), ...doc };
    case 'target':
      return { type: 'string', pattern: ID_PATTERN.source, ...doc };
    case 'prompts':
      return { type: 'array', items: { $ref: '#/definitions/prompt' }, ...(spec.nonEmpty ? { minItems: 1 } : {}), ...doc };
    case 'key':
      return spec.nullable
        ? { oneOf: [DTMF_KEY_SCHEMA, { type: 'null' }], ...(spec.default !== undefined ? { default: spec.default } : {}), ...doc }
        : { ...DTMF_KEY_SCHEMA, ...(spec.default !== undefined ? { default: spec.default } : {}), ...doc };
    case 'template':
      return { type: spec.scalars ? ['string', 'number', 'boolean'] : 'string', ...doc };
    case 'expr':
      return { type: ['string', 'boolean'], ...doc };
    case 'custom':
      return { ...spec.schema, ...doc };
  }
}

/** A map's schema from its field specs: the allowed keys, the required ones, no others. */
export function objectSchema(specs: readonly FieldSpec[], extra: JsonSchema = {}): JsonSchema {
  const required = specs.filter((s) => s.required).map((s) => s.key);
  return {
    type: 'object',
    ...(required.length > 0 ? { required } : {}),
    additionalProperties: false,
    properties: Object.fromEntries(specs.map((s) => [s.key, specSchema(s)])),
    ...extra,
  };
}

/**
 * One node kind's syntax: its field specs (the validator reads through them and the JSON Schema is generated
 * from them) and how it decodes them. Adding a kind means one module here, one in ../runtime/, and a line in
 * each registry; nothing else changes.
 */
import type { FieldReader } from '../fields.js';
import type { FlowNodeType, NodeOfType } from '../model.js';
import type { FieldSpec } from '../spec.js';

export interface NodeKind<T extends FlowNodeType> {
  readonly type: T;
  /** One sentence for the schema and the docs. */
  readonly doc: string;
  /** Fields allowed besides `type`. */
  readonly fields: readonly FieldSpec[];
  /**
   * Reads the node's fields through `r`, which records problems, prompt uses and edges. Always returns a node
   * so later checks can run; a field that was missing or invalid gets a neutral fallback ('' for a target),
   * and the flow is rejected anyway because a problem was recorded.
   */
  decode(r: FieldReader, id: string): NodeOfType<T>;
}

/**
 * ivr-flows/schema.json: generated from the validator's field specs, committed current, accepted by ajv,
 * and in agreement with the validator on the shipped flows and on shape mistakes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { NODE_KINDS, NODE_TYPES } from '../../../src/domain/flow/kinds/index.js';
import { flowSchemaText, SCHEMA_FILE } from '../../../src/tools/write-flow-schema.js';
import { FIXTURES, REPO_ROOT } from './support.js';

const schema = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as Record<string, unknown>;
const validate = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema);

function errorsOf(file: string): string[] {
  const doc: unknown = parse(readFileSync(file, 'utf8'));
  return validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}

describe('ivr-flows/schema.json', () => {
  it('is what `npm run flows:schema` generates (run it after changing a field spec)', () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(flowSchemaText());
  });

  it('describes every node kind with exactly the fields the validator allows', () => {
    const defs = schema['definitions'] as Record<string, { properties: Record<string, unknown> }>;
    for (const type of NODE_TYPES) {
      expect(Object.keys(defs[`node-${type}`]!.properties).sort(), type).toEqual(['type', ...NODE_KINDS[type].fields.map((f) => f.key)].sort());
    }
  });

  it('accepts every shipped flow', () => {
    const dir = join(REPO_ROOT, 'ivr-flows');
    const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect(errorsOf(join(dir, f)), f).toEqual([]);
  });

  it('rejects the shape mistakes the validator reports too', () => {
    for (const name of ['unknown-field', 'wrong-type', 'bargein-not-bool', 'max-attempts', 'timeout-range', 'unknown-node-type', 'version-number', 'not-a-map', 'queue-fields', 'bad-option-key']) {
      expect(errorsOf(join(FIXTURES, 'invalid', `${name}.yaml`)), name).not.toEqual([]);
    }
  });
});

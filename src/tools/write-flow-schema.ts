/**
 * Writes ivr-flows/schema.json from the flow field specs: `npm run flows:schema`. With `--check`, writes
 * nothing and exits 1 when the committed file differs (for CI).
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { flowJsonSchema } from '../domain/flow/schema.js';

export const SCHEMA_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../ivr-flows/schema.json');

export function flowSchemaText(): string {
  return `${JSON.stringify(flowJsonSchema(), null, 2)}\n`;
}

async function main(): Promise<number> {
  const text = flowSchemaText();
  if (process.argv.includes('--check')) {
    const current = await readFile(SCHEMA_FILE, 'utf8').catch(() => '');
    if (current === text) return 0;
    process.stderr.write(`${SCHEMA_FILE} is out of date: run npm run flows:schema\n`);
    return 1;
  }
  await writeFile(SCHEMA_FILE, text);
  process.stdout.write(`wrote ${SCHEMA_FILE}\n`);
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then(
    (code) => (process.exitCode = code),
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}

/**
 * Lists the prompts a flow plays with their texts, as rows for scripts/make-prompts.sh:
 *   npx tsx src/tools/flow-prompts.ts ivr-flows/hotline-400.yaml
 *   "welcome|您好，欢迎致电示例公司服务热线。|Welcome to the Example Company hotline."
 * Texts come from the flow's `prompts:` section; a prompt without a text in a language is reported on stderr.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseYamlSource } from '../adapters/flows/yaml-source.js';
import { validateFlowSource } from '../domain/flow/validate.js';

export interface PromptRow {
  name: string;
  /** Text per language, in the flow's language order. */
  texts: Record<string, string | undefined>;
}

/** Every prompt name the flow plays (in first-use order), with its texts in each of the flow's languages. */
export function flowPromptRows(yamlText: string): { languages: string[]; rows: PromptRow[] } | { error: string } {
  const parsed = parseYamlSource(yamlText);
  if (!parsed.ok) return { error: parsed.problems.map((p) => `${p.pos.line}:${p.pos.col}: ${p.message}`).join('\n') };
  const v = validateFlowSource(parsed.root);
  if (!v.ok) return { error: v.problems.map((p) => `${p.pos.line}:${p.pos.col}: ${p.message}`).join('\n') };
  const names: string[] = [];
  for (const u of v.promptUses) if (u.prompt.kind === 'name' && !names.includes(u.prompt.name)) names.push(u.prompt.name);
  const languages = [...v.flow.languages];
  return { languages, rows: names.map((name) => ({ name, texts: Object.fromEntries(languages.map((l) => [l, v.flow.transcripts[name]?.[l]])) })) };
}

async function main(): Promise<number> {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write('usage: flow-prompts <flow.yaml>\n');
    return 2;
  }
  const result = flowPromptRows(await readFile(file, 'utf8'));
  if ('error' in result) {
    process.stderr.write(`${file}: ${result.error}\n`);
    return 1;
  }
  process.stdout.write(`# name|${result.languages.join('|')}\n`);
  for (const row of result.rows) {
    const missing = result.languages.filter((l) => row.texts[l] === undefined);
    if (missing.length > 0) process.stderr.write(`${file}: prompt "${row.name}" has no text in ${missing.join(', ')}\n`);
    process.stdout.write(`  "${[row.name, ...result.languages.map((l) => row.texts[l] ?? '')].join('|')}"\n`);
  }
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

/**
 * Where a prompt's audio lives. Pure string work (no node:path in the domain): the same rule serves the
 * interpreter, which emits paths in play commands, and the loader, which checks the files exist.
 */
import type { PromptRef } from './model.js';

/** Prompts that are files (spoken values are expanded into fragments by say/). */
export type RecordedPrompt = Exclude<PromptRef, { kind: 'say' }>;

/**
 * `name` → `<promptsDir>/<language>/<name>.wav`; `{ file }` → the file as written when absolute, else
 * below `<promptsDir>` (the same file in every language).
 */
export function resolvePromptPath(prompt: RecordedPrompt, promptsDir: string, language: string): string {
  if (prompt.kind === 'name') return joinPath(promptsDir, `${language}/${prompt.name}.wav`);
  return isAbsolutePath(prompt.file) ? prompt.file : joinPath(promptsDir, prompt.file);
}

export function isAbsolutePath(p: string): boolean {
  return p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\');
}

function joinPath(dir: string, rel: string): string {
  if (dir === '' || dir === '.') return rel;
  return `${dir.replace(/[\\/]+$/, '')}/${rel.replace(/^\.\//, '')}`;
}

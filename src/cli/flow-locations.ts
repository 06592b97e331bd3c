/**
 * Where `hotline flow ...` finds flows and prompts: explicit options first, then config/hotline.yaml (through
 * the config loader, the one reader of the environment), then ./ivr-flows and ./prompts.
 */
import path from 'node:path';
import { loadConfig } from '../config/load-config.js';

export interface FlowLocations {
  flowsDir: string;
  promptsDir: string;
  /** Dialed number → flow id, when a configuration was found. */
  numbers: Readonly<Record<string, string>>;
  /** The configuration file that was used, if any. */
  configFile?: string;
}

export async function flowLocations(opts: { flowsDir?: string; promptsDir?: string }, env: Readonly<Record<string, string | undefined>>, cwd: string): Promise<FlowLocations> {
  let fromConfig: FlowLocations | undefined;
  try {
    const config = await loadConfig(env, cwd);
    fromConfig = { flowsDir: config.flowsDir, promptsDir: config.promptsDir, numbers: config.numbers, configFile: path.join(config.configDir, 'hotline.yaml') };
  } catch {
    // No (valid) configuration here: flows can still be checked and tried with the defaults.
  }
  return {
    flowsDir: opts.flowsDir ? path.resolve(cwd, opts.flowsDir) : (fromConfig?.flowsDir ?? path.resolve(cwd, 'ivr-flows')),
    promptsDir: opts.promptsDir ? path.resolve(cwd, opts.promptsDir) : (fromConfig?.promptsDir ?? path.resolve(cwd, 'prompts')),
    numbers: fromConfig?.numbers ?? {},
    ...(fromConfig?.configFile ? { configFile: fromConfig.configFile } : {}),
  };
}

/** A path as people read it: relative to the working directory when inside it. */
export function shownPath(file: string, cwd: string): string {
  const rel = path.relative(cwd, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

/** `language`: the prompt language for the rest of the call (a folder under the prompts directory). */
import { f, LANGUAGE_PATTERN } from '../spec.js';
import type { NodeKind } from './kind.js';

export const languageKind: NodeKind<'language'> = {
  type: 'language',
  doc: 'Switches the prompt language for the rest of the call, then continues at next.',
  fields: [
    f.string('language', 'a language tag naming a prompts folder: zh, en, zh-CN ...', { required: true, pattern: LANGUAGE_PATTERN, what: 'a language tag such as zh, en or zh-CN' }),
    f.target('next', 'node to continue at', { required: true, immediate: true }),
  ],
  decode(r, id) {
    const language = r.str('language') ?? '';
    if (language !== '') r.ctx.languages.push({ language, pos: r.entry('language')!.value.pos });
    return { type: 'language', id, language, next: r.target('next') ?? '' };
  },
};

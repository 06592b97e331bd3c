/**
 * Prints every spoken-value fragment as `lang<TAB>name<TAB>text` lines: the list scripts/make-say-fragments.sh
 * records. The inventory itself lives with the readings that use it (domain/flow/say/).
 */
import { SAY_LANGUAGES, sayInventory } from '../domain/flow/say/index.js';

for (const lang of SAY_LANGUAGES) {
  for (const [name, text] of Object.entries(sayInventory(lang))) process.stdout.write(`${lang}\t${name}\t${text}\n`);
}

/**
 * What a waiting caller hears, as prompt file lists (paths under the prompts dir): position ("您前面还有 N 位"),
 * estimated wait in minutes, comfort, the callback offer. Numbers are spoken from small recorded fragments
 * under acd/<lang>/num/ (scripts/make-acd-prompts.sh): 0–20 and the tens are whole words; 21–99 are a ten and
 * a unit (Mandarin: 二十 + 三; English: twenty + three). Mandarin says 两 for a lone 2 (两位, 两分钟) but 二 inside
 * a compound (二十二), hence the separate unit fragments d1–d9. Above 99 a "many" / "more than" phrase.
 */
export const ANNOUNCED_LANGUAGES = ['zh', 'en'] as const;

const base = (lang: string): string => `acd/${(ANNOUNCED_LANGUAGES as readonly string[]).includes(lang) ? lang : 'zh'}`;

/** Resolves `{lang}` in a configured prompt path. */
export function promptFor(path: string, lang: string): string {
  return path.replaceAll('{lang}', (ANNOUNCED_LANGUAGES as readonly string[]).includes(lang) ? lang : 'zh');
}

export function numberPrompts(lang: string, n: number): string[] {
  const dir = `${base(lang)}/num`;
  if (!Number.isInteger(n) || n < 0 || n > 99) throw new RangeError(`numbers 0..99 are spoken, got ${n}`);
  if (n <= 20) return [`${dir}/n${n}.wav`];
  const tens = Math.floor(n / 10) * 10;
  const unit = n % 10;
  if (unit === 0) return [`${dir}/n${tens}.wav`];
  return [`${dir}/n${tens}.wav`, `${dir}/${lang === 'en' ? 'n' : 'd'}${unit}.wav`];
}

/** "You are next" / "There are N callers ahead of you" for a caller at `position` (1-based). */
export function positionPrompts(lang: string, position: number): string[] {
  const b = base(lang);
  const ahead = position - 1;
  if (ahead <= 0) return [`${b}/you-are-next.wav`];
  if (ahead === 1) return [`${b}/ahead-one.wav`];
  if (ahead > 99) return [`${b}/ahead-many.wav`];
  return [`${b}/ahead-before.wav`, ...numberPrompts(lang, ahead), `${b}/ahead-after.wav`];
}

/** The estimated wait, rounded up to whole minutes; under a minute and over 99 minutes have their own phrases. */
export function ewtPrompts(lang: string, ewtSec: number): string[] {
  const b = base(lang);
  if (ewtSec < 60) return [`${b}/ewt-under-minute.wav`];
  const minutes = Math.ceil(ewtSec / 60);
  if (minutes > 99) return [`${b}/ewt-long.wav`];
  return [`${b}/ewt-before.wav`, ...numberPrompts(lang, minutes), `${b}/ewt-after.wav`];
}

export const callbackOfferPrompts = (lang: string): string[] => [`${base(lang)}/callback-offer.wav`];
export const callbackConfirmPrompts = (lang: string): string[] => [`${base(lang)}/callback-confirm.wav`];
export const callbackConnectingPrompts = (lang: string): string[] => [`${base(lang)}/callback-connecting.wav`];

/** Every fragment the announcements may use, for a start-up check that the files exist. */
export function allAnnouncementPrompts(lang: string): string[] {
  const b = base(lang);
  const nums = new Set<string>();
  for (let n = 0; n <= 99; n += 1) for (const f of numberPrompts(lang, n)) nums.add(f);
  return [
    ...['you-are-next', 'ahead-one', 'ahead-many', 'ahead-before', 'ahead-after', 'ewt-under-minute', 'ewt-long', 'ewt-before', 'ewt-after', 'comfort', 'callback-offer', 'callback-confirm', 'callback-connecting', 'queue-full', 'no-agents', 'transferring'].map(
      (n) => `${b}/${n}.wav`,
    ),
    ...nums,
  ];
}

/** `say`: speaks one value from recorded fragments (say/ in the prompts folder), then `next`. */
import { CURRENCIES, SAY_KINDS, type Currency, type SayKind } from '../model.js';
import { f } from '../spec.js';
import type { NodeKind } from './kind.js';

export const sayKind: NodeKind<'say'> = {
  type: 'say',
  doc: 'Speaks a value (digits, number, amount, date, time or duration) in the call language, then continues at next.',
  fields: [
    f.enum('as', 'how to speak the value', SAY_KINDS, { required: true }),
    f.template('value', 'the value, usually a template such as ${order_id}', { required: true, scalars: true }),
    f.enum('currency', 'currency of an amount (ISO 4217)', CURRENCIES, { default: 'CNY' }),
    f.boolean('bargeIn', 'a key stops the speech and is kept for the next menu', true),
    f.target('next', 'node to continue at', { required: true }),
  ],
  decode(r, id) {
    const as = r.oneOf<SayKind>('as') ?? 'digits';
    const value = r.template('value') ?? { parts: [] };
    const currency = r.oneOf<Currency>('currency') ?? 'CNY';
    const say = { kind: 'say' as const, as, value, currency };
    if (r.has('as') && r.has('value')) r.ctx.promptUses.push({ nodeId: id, prompt: say, pos: r.entry('value')!.value.pos });
    return { type: 'say', id, say, bargeIn: r.bool('bargeIn'), next: r.target('next') ?? '' };
  },
};

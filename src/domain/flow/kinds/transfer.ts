/**
 * `transfer`: to a queue, an agent, or an external number named in the flow's `externalNumbers` allow-list.
 * There is deliberately no way to transfer to a number built from input: no path from an inbound call to an
 * arbitrary outbound number (toll fraud).
 */
import type { TransferTarget } from '../model.js';
import { TRANSFER_LIMITS } from '../model.js';
import { FlowProblemCodes as C } from '../problems.js';
import { f } from '../spec.js';
import type { NodeKind } from './kind.js';

export const transferKind: NodeKind<'transfer'> = {
  type: 'transfer',
  doc: 'Transfers the call to a queue, an agent, or an external number from the flow\'s externalNumbers allow-list.',
  fields: [
    f.id('queue', 'a queue id (the call is queued; the flow ends)'),
    f.template('agent', 'an agent id, or a template such as ${account_manager}'),
    f.id('external', 'a name from the flow\'s externalNumbers allow-list'),
    f.prompts('prompts', 'played before the transfer ("transferring you")'),
    f.number('ringTimeoutSec', 'how long an agent or external number rings', { min: TRANSFER_LIMITS.minRingSec, max: TRANSFER_LIMITS.maxRingSec, integer: false, unit: 'seconds' }, { default: TRANSFER_LIMITS.defaultRingSec }),
    f.target('onFail', 'node when the agent or number is not reached (default: hang up, cause transfer-failed)'),
  ],
  decode(r, id) {
    const given = ['queue', 'agent', 'external'].filter((k) => r.has(k));
    let target: TransferTarget = { kind: 'queue', queue: '' };
    if (given.length !== 1) {
      r.problems.add(
        given.length === 0 ? C.MISSING_FIELD : C.BAD_VALUE,
        given.length === 0 ? r.anchor : r.entry(given[1]!)!.keyPos,
        `node "${id}": give exactly one of "queue", "agent" or "external"${given.length > 1 ? `, not ${given.join(' and ')}` : ''}`,
      );
    } else if (given[0] === 'queue') {
      target = { kind: 'queue', queue: r.str('queue') ?? '' };
    } else if (given[0] === 'agent') {
      target = { kind: 'agent', agent: r.template('agent') ?? { parts: [] } };
    } else {
      const name = r.str('external');
      if (name !== undefined) {
        const number = r.ctx.externalNumbers[name];
        if (number === undefined) {
          const known = Object.keys(r.ctx.externalNumbers);
          r.problems.add(
            C.UNKNOWN_EXTERNAL,
            r.entry('external')!.value.pos,
            `node "${id}": "${name}" is not in the flow's externalNumbers allow-list${known.length ? ` (known: ${known.join(', ')})` : '; add it there first'}`,
          );
        } else target = { kind: 'external', name, number };
      }
    }
    return {
      type: 'transfer',
      id,
      target,
      prompts: r.prompts('prompts'),
      ringTimeoutSec: r.num('ringTimeoutSec') ?? TRANSFER_LIMITS.defaultRingSec,
      onFail: r.target('onFail') ?? null,
    };
  },
};

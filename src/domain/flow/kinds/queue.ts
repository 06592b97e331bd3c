/**
 * `queue`: optional prompts (not interruptible), then the call goes to an ACD queue with routing attributes
 * (priority, skills, caller class) and the flow ends. The ACD gives the attributes their effect.
 */
import type { Template } from '../expr/template.js';
import { CALLER_CLASSES, QUEUE_LIMITS } from '../model.js';
import { FlowProblemCodes as C } from '../problems.js';
import { f } from '../spec.js';
import type { NodeKind } from './kind.js';

export const queueKind: NodeKind<'queue'> = {
  type: 'queue',
  doc: 'Plays prompts, then hands the call to an ACD queue with routing attributes (priority, skills, caller class).',
  fields: [
    f.id('queue', 'queue id from config/hotline.yaml', { required: true }),
    f.prompts('prompts', 'played before queueing ("please hold"), not interruptible'),
    f.custom('priority', `0-${QUEUE_LIMITS.maxPriority}, higher is served first; a number or a template such as "\${caller_class == 'vip' ? 80 : 0}"`, {
      oneOf: [{ type: 'integer', minimum: QUEUE_LIMITS.minPriority, maximum: QUEUE_LIMITS.maxPriority }, { type: 'string', pattern: '\\$\\{' }],
      default: QUEUE_LIMITS.defaultPriority,
    }),
    f.custom('skills', 'skills the agent needs besides the queue\'s own; templates allowed ("lang_${language}")', {
      type: 'array',
      items: { type: 'string', minLength: 1 },
    }),
    f.template('callerClass', `caller class: ${CALLER_CLASSES.join(', ')} (a template such as "\${caller_class}")`),
  ],
  decode(r, id) {
    let priority: number = QUEUE_LIMITS.defaultPriority;
    let priorityExpr: Template | null = null;
    const p = r.entry('priority');
    if (p?.value.kind === 'scalar' && typeof p.value.value === 'string') {
      priorityExpr = r.templateOf('priority', p.value, false) ?? null;
    } else if (p) {
      const v = p.value;
      if (v.kind !== 'scalar' || typeof v.value !== 'number' || !Number.isInteger(v.value)) r.wrongType('priority', v, 'an integer or a template');
      else if (v.value < QUEUE_LIMITS.minPriority || v.value > QUEUE_LIMITS.maxPriority) {
        r.problems.add(C.OUT_OF_RANGE, v.pos, `node "${id}": "priority" must be an integer from ${QUEUE_LIMITS.minPriority} to ${QUEUE_LIMITS.maxPriority}, got ${v.value}`);
      } else priority = v.value;
    }
    const skills: Template[] = [];
    const s = r.entry('skills');
    if (s && s.value.kind !== 'seq') r.wrongType('skills', s.value, 'a list of skill names');
    else if (s?.value.kind === 'seq') {
      s.value.items.forEach((item, i) => {
        const t = r.templateOf(`skills[${i}]`, item, false);
        if (t) skills.push(t);
      });
    }
    const callerClass = r.template('callerClass') ?? null;
    if (callerClass && callerClass.parts.length === 1 && 'text' in callerClass.parts[0]! && !(CALLER_CLASSES as readonly string[]).includes(callerClass.parts[0].text)) {
      r.bad('callerClass', r.entry('callerClass')!.value, `must be one of ${CALLER_CLASSES.join(', ')} or a template, got ${JSON.stringify(callerClass.parts[0].text)}`);
    }
    return { type: 'queue', id, queue: r.str('queue') ?? '', prompts: r.prompts('prompts'), priority, priorityExpr, skills, callerClass };
  },
};

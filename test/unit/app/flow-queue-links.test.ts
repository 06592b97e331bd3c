/** Flows against queues: unknown queues, and queue exits to flow nodes the flow does not have (also via overflow). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { flowQueueProblems } from '../../../src/app/flow-queue-links.js';
import type { QueueConfig } from '../../../src/domain/acd/model.js';
import { flowFromYaml, SKELETON_FLOW } from '../flow/support.js';

const skeleton = flowFromYaml(readFileSync(SKELETON_FLOW, 'utf8'));
const q = (id: string, extra: Partial<QueueConfig> = {}): [string, QueueConfig] => [id, { id, name: id, requiredSkills: [], strategy: 'longest-idle', ringTimeoutSec: 15, wrapupSec: 0, musicOnHold: 'moh/default.wav', ...extra }];

describe('flow ↔ queue links', () => {
  it('the skeleton flow fits plain sales and support queues', () => {
    expect(flowQueueProblems([skeleton], new Map([q('sales'), q('support')]))).toEqual([]);
  });

  it('names a queue the config does not have', () => {
    const problems = flowQueueProblems([skeleton], new Map([q('sales')]));
    expect(problems).toEqual([expect.stringMatching(/^flow skeleton-400 node to-support: queue "support" is not in config\/hotline.yaml/)]);
  });

  it('a queue exit to a node the flow has passes; to one it lacks fails, also when reached by overflow', () => {
    const ok = new Map([q('sales', { exitKey: { digit: '0', exit: { kind: 'flow', node: 'main-menu', prompts: [] } } }), q('support')]);
    expect(flowQueueProblems([skeleton], ok)).toEqual([]);
    const bad = new Map([
      q('sales', { onMaxWait: { kind: 'queue', queueId: 'overflow', prompts: [] } }),
      q('support'),
      q('overflow', { onMaxWait: { kind: 'flow', node: 'leave-message', prompts: [] } }),
    ]);
    expect(flowQueueProblems([skeleton], bad)).toEqual([
      'flow skeleton-400 node to-sales: queue overflow\'s onMaxWait exit leads to flow node "leave-message", which flow skeleton-400 does not have',
    ]);
  });
});

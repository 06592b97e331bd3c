/**
 * `transfer` at run time.
 *
 *   enter ──► transfer-prompt (not interruptible) ──play-finished──┐
 *     └── no prompts ───────────────────────────────────────────────┤
 *          queue target: enqueue (flow over), call.transferred queued │
 *          agent / external: transfer command + guard timer ◄────────┘
 *   transfer-waiting ──transfer-result connected──► flow over (status transferred)
 *                    ──transfer-result failed─────► onFail (none: hang up, cause transfer-failed)
 *                    ──timer (the app never answered)──► cancel-request, as failed (reason timeout)
 *
 * The guard timer is the ring timeout plus a margin: the app rings with its own timeout, so the guard only
 * fires if the app lost the request, and the call never hangs.
 */
import { toText } from '../expr/functions.js';
import { templateValue } from '../expr/template.js';
import type { TransferNode } from '../model.js';
import type { NodeRuntime, TransitionTable } from './node-runtime.js';
import type { StepBuilder } from './step.js';

type TransferPhase = 'transfer-prompt' | 'transfer-waiting';
type TransferAction = 'start' | 'drop-digit' | 'give-up' | 'ignore';

/** Added to the ring timeout for the guard timer. */
export const TRANSFER_GUARD_MS = 5_000;

export const TRANSFER_TABLE: TransitionTable<TransferPhase, TransferAction> = {
  'transfer-prompt': { 'play-finished': 'start', digit: 'drop-digit', timer: 'ignore' },
  'transfer-waiting': { 'play-finished': 'ignore', digit: 'drop-digit', timer: 'give-up' },
};

export const transferRuntime: NodeRuntime<'transfer'> = {
  phases: ['transfer-prompt', 'transfer-waiting'],
  enter(node, b) {
    b.phase('transfer-prompt');
    if (b.play(node.prompts, false) === null) start(node, b);
  },
  onInput(node, b, input) {
    if (input.kind === 'transfer-result') {
      b.closeRequest();
      b.cancelTimer();
      if (input.outcome === 'connected') {
        transferredEvent(node, b, 'connected');
        b.transferred();
      } else failed(node, b, input.reason ?? 'failed');
      return;
    }
    if (input.kind !== 'play-finished' && input.kind !== 'digit' && input.kind !== 'timer') return b.ignore('not-expected');
    switch (TRANSFER_TABLE[b.state.phase as TransferPhase][input.kind]) {
      case 'start':
        start(node, b);
        return;
      case 'give-up':
        b.cancelRequest();
        failed(node, b, 'timeout');
        return;
      case 'drop-digit':
        b.ignore('digit-not-accepted');
        return;
      case 'ignore':
        b.ignore('not-expected');
        return;
    }
  },
};

function targetName(node: TransferNode, b: StepBuilder): string {
  const t = node.target;
  if (t.kind === 'queue') return t.queue;
  if (t.kind === 'external') return t.name;
  return toText(templateValue(t.agent, b.env())).trim();
}

function transferredEvent(node: TransferNode, b: StepBuilder, outcome: 'queued' | 'connected' | 'failed', reason?: string): void {
  b.emit({
    type: 'call.transferred',
    callId: b.state.call.callId,
    nodeId: node.id,
    target: node.target.kind,
    to: targetName(node, b),
    outcome,
    ...(reason ? { reason } : {}),
  });
}

function start(node: TransferNode, b: StepBuilder): void {
  const t = node.target;
  if (t.kind === 'queue') {
    transferredEvent(node, b, 'queued');
    b.enqueue(t.queue, 0, { language: b.state.language });
    return;
  }
  const ringTimeoutMs = Math.round(node.ringTimeoutSec * 1000);
  if (t.kind === 'agent') {
    const agentId = targetName(node, b);
    if (!/^[0-9A-Za-z._-]{1,32}$/.test(agentId)) {
      failed(node, b, 'no-such-agent');
      return;
    }
    b.phase('transfer-waiting');
    const requestId = b.openRequest('transfer');
    b.commands.push({ kind: 'transfer', requestId, nodeId: node.id, target: { kind: 'agent', agentId }, ringTimeoutMs });
  } else {
    b.phase('transfer-waiting');
    const requestId = b.openRequest('transfer');
    b.commands.push({ kind: 'transfer', requestId, nodeId: node.id, target: { kind: 'external', name: t.name, number: t.number }, ringTimeoutMs });
  }
  b.startTimer(ringTimeoutMs + TRANSFER_GUARD_MS);
}

function failed(node: TransferNode, b: StepBuilder, reason: string): void {
  transferredEvent(node, b, 'failed', reason);
  if (node.onFail !== null) b.goto(node.onFail);
  else b.hangup('transfer-failed');
}

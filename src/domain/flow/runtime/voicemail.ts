/**
 * `voicemail` at run time.
 *
 *   enter ──► voicemail-prompt (prompts + beep) ──play-finished / digit (skip)──► record-start + max timer
 *   voicemail-recording ──terminator key / timer──► record-stop ──► voicemail-saving (guard timer)
 *   voicemail-saving ──recording-finished──► next
 *                    ──timer (the app never confirmed)──► cancel-request ──► next
 *
 * A hang-up while recording is the usual end of a message: the app then keeps the file and emits
 * voicemail.recorded itself, as it does after `record-stop`.
 */
import type { VoicemailNode } from '../model.js';
import { beepFile } from '../say/index.js';
import type { NodeRuntime, TransitionTable } from './node-runtime.js';
import type { StepBuilder } from './step.js';

/** How long the app may take to close the file after record-stop. */
export const RECORDING_SAVE_GUARD_MS = 5_000;

type VoicemailPhase = 'voicemail-prompt' | 'voicemail-recording' | 'voicemail-saving';
type VoicemailAction = 'record' | 'skip-to-record' | 'key' | 'stop' | 'give-up' | 'ignore';

export const VOICEMAIL_TABLE: TransitionTable<VoicemailPhase, VoicemailAction> = {
  'voicemail-prompt': { 'play-finished': 'record', digit: 'skip-to-record', timer: 'ignore' },
  'voicemail-recording': { 'play-finished': 'ignore', digit: 'key', timer: 'stop' },
  'voicemail-saving': { 'play-finished': 'ignore', digit: 'ignore', timer: 'give-up' },
};

export const voicemailRuntime: NodeRuntime<'voicemail'> = {
  phases: ['voicemail-prompt', 'voicemail-recording', 'voicemail-saving'],
  enter(node, b) {
    b.phase('voicemail-prompt');
    const beep = node.beep ? [beepFile(b.state.call.promptsDir)] : [];
    if (b.play(node.prompts, true, beep) === null) record(node, b);
  },
  onInput(node, b, input) {
    if (input.kind === 'recording-finished') {
      b.closeRequest();
      b.cancelTimer();
      b.goto(node.next);
      return;
    }
    if (input.kind !== 'play-finished' && input.kind !== 'digit' && input.kind !== 'timer') return b.ignore('not-expected');
    switch (VOICEMAIL_TABLE[b.state.phase as VoicemailPhase][input.kind]) {
      case 'record':
        record(node, b);
        return;
      case 'skip-to-record':
        b.stopPlay();
        record(node, b);
        return;
      case 'key':
        if (input.kind === 'digit' && input.digit === node.terminator) stop(b);
        else b.ignore('digit-not-accepted');
        return;
      case 'stop':
        stop(b);
        return;
      case 'give-up':
        b.cancelRequest();
        b.goto(node.next);
        return;
      case 'ignore':
        b.ignore('not-expected');
        return;
    }
  },
};

function record(node: VoicemailNode, b: StepBuilder): void {
  b.phase('voicemail-recording');
  const requestId = b.openRequest('record');
  const maxMs = node.maxSec * 1000;
  b.commands.push({ kind: 'record-start', requestId, nodeId: node.id, mailbox: node.mailbox, maxMs });
  b.startTimer(maxMs);
}

function stop(b: StepBuilder): void {
  b.cancelTimer();
  const p = b.state.pending;
  if (p) b.commands.push({ kind: 'record-stop', requestId: p.id });
  b.phase('voicemail-saving');
  b.startTimer(RECORDING_SAVE_GUARD_MS);
}

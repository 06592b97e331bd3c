/**
 * The flow interpreter: a pure state machine in the xstate style. `startFlow` and `stepFlow` take a state
 * and an input and return the next state plus commands for the app to carry out (play, timers, events,
 * HTTP requests, recordings, transfers, enqueue, hang up). No clock, no I/O: feeding a call's inputs again
 * rebuilds the same states and commands.
 *
 *   startFlow ──► enter(start) ──► [nodes that move on at once] ──► a node that waits (media, keys, request)
 *   stepFlow(input) ──► stale? ignore : node.onInput ──► [enter the next nodes] ──► waits | queued | ended
 *
 * Each node kind's behaviour (and its transition table) lives in runtime/<kind>.ts.
 */
import type { FlowCommand, FlowFault, FlowInput, IgnoreReason, StepResult } from './commands.js';
import type { Flow } from './model.js';
import { runtimeOf } from './runtime/index.js';
import { StepBuilder } from './runtime/step.js';
import type { FlowContext, FlowState } from './state.js';

export type { DigitSource, FlowCommand, FlowFault, FlowInput, IgnoreReason, RoutingAttributes, StepResult } from './commands.js';
export type { FlowContext, FlowPhase, FlowState, FlowStatus, TypedDigit } from './state.js';

/**
 * Nodes entered within one step at most. A valid flow cannot loop without waiting (the validator rejects
 * goto loops); this bounds what the validator cannot see, so a step always ends.
 */
export const MAX_NODES_PER_STEP = 100;

export type FlowStep = StepResult<FlowState>;

export function startFlow(flow: Flow, ctx: FlowContext): FlowStep {
  const variables: Record<string, FlowState['variables'][string]> = {};
  for (const [name, decl] of Object.entries(flow.variables)) variables[name] = decl.initial;
  const state: FlowState = {
    flowId: flow.id,
    flowVersion: flow.version,
    call: { callId: ctx.callId, from: ctx.from, to: ctx.to, promptsDir: ctx.promptsDir, ...(ctx.startedAtMs !== undefined ? { startedAtMs: ctx.startedAtMs } : {}) },
    status: 'running',
    language: ctx.language ?? flow.language,
    nodeId: flow.start,
    phase: 'entering',
    attempt: 0,
    failures: 0,
    timeouts: 0,
    entry: '',
    entrySource: null,
    typeAhead: [],
    playSeq: 0,
    pendingPlayId: null,
    timerSeq: 0,
    pendingTimerId: null,
    requestSeq: 0,
    pending: null,
    variables,
    menuTrail: [],
    menusSeen: [],
    callStack: [],
    clockMs: ctx.startedAtMs ?? 0,
    endCause: null,
  };
  const b = new StepBuilder(flow, state);
  b.goto(flow.start);
  return settle(flow, b);
}

const RESULT_KINDS = new Set<FlowInput['kind']>(['http-result', 'transfer-result', 'recording-finished']);

export function stepFlow(flow: Flow, state: FlowState, input: FlowInput): FlowStep {
  if (state.flowId !== flow.id || state.flowVersion !== flow.version) {
    return faulted(flow, state, `state belongs to flow ${state.flowId}@${state.flowVersion}, not ${flow.id}@${flow.version}`);
  }
  if (state.status === 'queued') return ignored(state, 'flow-queued');
  if (state.status === 'transferred') return ignored(state, 'flow-transferred');
  if (state.status === 'ended') return ignored(state, 'flow-ended');

  const b = new StepBuilder(flow, state);
  if (input.kind === 'play-finished') {
    if (input.playId !== state.pendingPlayId) return ignored(state, 'stale-play');
    b.update({ pendingPlayId: null });
  } else if (input.kind === 'timer') {
    if (input.timerId !== state.pendingTimerId) return ignored(state, 'stale-timer');
    b.update({ pendingTimerId: null });
  } else if (RESULT_KINDS.has(input.kind)) {
    if (!('requestId' in input) || state.pending?.id !== input.requestId) return ignored(state, 'stale-request');
  }
  if (input.atMs !== undefined && input.atMs > b.state.clockMs) b.update({ clockMs: input.atMs });

  const node = flow.nodes[state.nodeId];
  if (!node) return faulted(flow, state, `state is at node "${state.nodeId}", which flow ${flow.id} does not have`);
  const runtime = runtimeOf(node);
  if (!runtime.phases.includes(state.phase)) {
    return faulted(flow, state, `node "${node.id}" (${node.type}) does not wait in phase "${state.phase}"`);
  }
  runtime.onInput(node, b, input);
  if (b.ignored) return ignored(state, b.ignored);
  return settle(flow, b);
}

/**
 * A queue gave the call back to its flow (a queue exit to a flow node): the flow runs on from `nodeId` with the
 * variables and language it had. Only a queued flow can resume; a node the flow does not have ends the call.
 */
export function resumeFlow(flow: Flow, state: FlowState, nodeId: string, atMs?: number): FlowStep {
  if (state.flowId !== flow.id || state.flowVersion !== flow.version) {
    return faulted(flow, state, `state belongs to flow ${state.flowId}@${state.flowVersion}, not ${flow.id}@${flow.version}`);
  }
  if (state.status !== 'queued') return ignored(state, state.status === 'transferred' ? 'flow-transferred' : state.status === 'ended' ? 'flow-ended' : 'flow-running');
  if (!flow.nodes[nodeId]) return faulted(flow, state, `a queue exit leads to node "${nodeId}", which flow ${flow.id} does not have`);
  const b = new StepBuilder(flow, state);
  b.update({ status: 'running', ...(atMs !== undefined && atMs > state.clockMs ? { clockMs: atMs } : {}) });
  b.goto(nodeId);
  return settle(flow, b);
}

/** Enters nodes until one waits or the flow ends, within MAX_NODES_PER_STEP. */
function settle(flow: Flow, b: StepBuilder): FlowStep {
  for (let entered = 0; b.next !== null; entered++) {
    const target = b.next;
    b.next = null;
    if (entered >= MAX_NODES_PER_STEP) {
      b.hangup('flow-loop');
      break;
    }
    const node = flow.nodes[target];
    if (!node) return faulted(flow, b.state, `node "${b.state.nodeId}" leads to "${target}", which flow ${flow.id} does not have`, b.commands);
    b.release();
    b.update({ nodeId: target, phase: 'entering', attempt: 0, failures: 0, timeouts: 0, entry: '', entrySource: null });
    b.entered.push(target);
    runtimeOf(node).enter(node, b);
  }
  return { state: b.state, commands: b.commands, entered: b.entered };
}

function ignored(state: FlowState, reason: IgnoreReason): FlowStep {
  return { state, commands: [], ignored: reason };
}

/** An impossible state: end the call cleanly and hand the error back as a value for the app to log. */
function faulted(flow: Flow, state: FlowState, message: string, before: FlowCommand[] = []): FlowStep {
  const b = new StepBuilder(flow, state);
  b.hangup('flow-error');
  const fault: FlowFault = { code: 'HOTLINE_E_FLOW_STATE', message };
  return { state: b.state, commands: [...before, ...b.commands], fault };
}

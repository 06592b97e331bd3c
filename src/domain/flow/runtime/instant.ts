/**
 * Nodes that never wait: goto, hangup, set, if, switch, hours, language, call, return and callback. Each
 * decides at once and moves on (or ends the call), so none has phases or a transition table.
 */
import { evaluate, truthy } from '../expr/evaluate.js';
import { toText } from '../expr/functions.js';
import { templateValue } from '../expr/template.js';
import { MAX_CALL_DEPTH, type FlowNodeType, type HoursNode } from '../model.js';
import { wallTime } from '../time/wall-clock.js';
import type { NodeRuntime } from './node-runtime.js';
import type { StepBuilder } from './step.js';

function instant<T extends FlowNodeType>(enter: NodeRuntime<T>['enter']): NodeRuntime<T> {
  return {
    phases: [],
    enter,
    onInput(_node, b) {
      b.ignore('not-expected');
    },
  };
}

export const gotoRuntime = instant<'goto'>((node, b) => b.goto(node.target));

export const hangupRuntime = instant<'hangup'>((node, b) => b.hangup(node.cause));

export const setRuntime = instant<'set'>((node, b) => {
  // Each value sees the ones set before it in the same node: `a: 1`, then `b: ${a + 1}`.
  for (const a of node.values) b.setVariable(a.variable, templateValue(a.value, b.env()));
  b.goto(node.next);
});

export const ifRuntime = instant<'if'>((node, b) => b.goto(truthy(evaluate(node.condition, b.env())) ? node.then : node.else));

export const switchRuntime = instant<'switch'>((node, b) => {
  const env = b.env();
  const hit = node.cases.find((c) => truthy(evaluate(c.when, env)));
  b.goto(hit ? hit.goto : node.default);
});

export const languageRuntime = instant<'language'>((node, b) => {
  b.update({ language: node.language });
  b.goto(node.next);
});

export const callRuntime = instant<'call'>((node, b) => {
  if (b.state.callStack.length >= MAX_CALL_DEPTH) {
    b.hangup('flow-stack-overflow');
    return;
  }
  b.update({ callStack: [...b.state.callStack, node.next] });
  b.goto(node.sub);
});

export const returnRuntime = instant<'return'>((_node, b) => {
  const stack = b.state.callStack;
  const back = stack[stack.length - 1];
  // The validator rejects a return reachable without a call; this guards hand-built flows.
  if (back === undefined) {
    b.hangup('flow-error');
    return;
  }
  b.update({ callStack: stack.slice(0, -1) });
  b.goto(back);
});

export const callbackRuntime = instant<'callback'>((node, b) => {
  const written = toText(templateValue(node.number, b.env())).trim();
  // No number (a collect that was skipped): call back the number that called.
  const number = written === '' ? b.state.call.from : written;
  const only = node.number.parts[0];
  const onlyVar = written !== '' && node.number.parts.length === 1 && only && 'expr' in only && only.expr.k === 'name' ? only.expr.path[0]! : '';
  b.emit({
    type: 'callback.requested',
    callId: b.state.call.callId,
    nodeId: node.id,
    number: onlyVar ? b.shown(onlyVar, number) : number,
    ...(node.queue !== null ? { queueId: node.queue } : {}),
    language: b.state.language,
  });
  b.goto(node.next);
});

export const hoursRuntime = instant<'hours'>((node, b) => b.goto(hoursBranch(node, b)));

/** open, closed or holiday for the call's current time. */
export function hoursBranch(node: HoursNode, b: StepBuilder): string {
  const w = wallTime(b.state.clockMs, node.timezone);
  const calendar = node.calendar === null ? undefined : b.flow.calendars[node.calendar];
  if (calendar && Object.hasOwn(calendar.closed, w.date)) return node.holiday;
  const makeUp = calendar && Object.hasOwn(calendar.workdays, w.date) ? calendar.workdays[w.date] : undefined;
  const ranges = node.weekly[makeUp ? makeUp.as : w.weekday];
  const open = ranges.some((r) => w.minuteOfDay >= r.fromMin && w.minuteOfDay < r.toMin);
  return open ? node.open : node.closed;
}

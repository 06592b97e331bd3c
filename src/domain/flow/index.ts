/** The IVR flow domain: model, validator, expression language, spoken values and interpreter. */
export * from './model.js';
export { validateFlowSource, withCalendars, type FlowValidation, type CalendarUse } from './validate.js';
export type { PromptUse, NodeEdge } from './fields.js';
export { FlowProblemCodes, type FlowProblem, type FlowProblemCode } from './problems.js';
export type { SourceNode, SourceEntry, SourcePos, ScalarValue } from './source.js';
export { resolvePromptPath } from './prompts.js';
export { decodeCalendar } from './time/calendar.js';
export { maskValue } from './runtime/mask.js';
export { startFlow, stepFlow, MAX_NODES_PER_STEP, type FlowStep } from './interpreter.js';
export type {
  DigitSource,
  FlowCommand,
  FlowFault,
  FlowInput,
  IgnoreReason,
  RoutingAttributes,
  StepResult,
  FlowContext,
  FlowPhase,
  FlowState,
  FlowStatus,
  TypedDigit,
} from './interpreter.js';

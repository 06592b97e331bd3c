/**
 * `http` at run time.
 *
 *   enter ──► http command + guard timer ──► http-waiting
 *   http-waiting ──http-result ok──────► map JSON into variables, http.completed ok ──► next
 *                ──http-result error───► http.completed error ──► onError
 *                ──timer (budget spent)─► cancel-request, http.completed timeout ──► onError
 *                ──digit─────────────────► kept as type-ahead for the next menu
 *
 * The guard timer covers every attempt and the pauses between them, plus a margin: the app's own
 * per-attempt timeouts normally answer first, and a server that never answers cannot hold the call.
 */
import type { ExprEnv } from '../expr/evaluate.js';
import type { ExprValue } from '../expr/parser.js';
import { renderTemplate, templateValue } from '../expr/template.js';
import type { HttpMapping, JsonTemplate } from '../model.js';
import type { NodeRuntime, TransitionTable } from './node-runtime.js';

/** Pause before retry n (1-based) is n × this; the app's executor uses the same schedule. */
export const HTTP_RETRY_BACKOFF_MS = 250;
/** Added to the whole budget for the guard timer. */
export const HTTP_GUARD_MARGIN_MS = 1_000;
/** Longest text kept in a variable from an answer (the state stays small). */
export const MAX_MAPPED_TEXT = 1_000;

type HttpPhase = 'http-waiting';
type HttpAction = 'timeout' | 'type-ahead' | 'ignore';

export const HTTP_TABLE: TransitionTable<HttpPhase, HttpAction> = {
  'http-waiting': { 'play-finished': 'ignore', digit: 'type-ahead', timer: 'timeout' },
};

/** The whole time the app may take: every attempt, and the pauses between them. */
export function httpBudgetMs(timeoutMs: number, retries: number): number {
  let pauses = 0;
  for (let n = 1; n <= retries; n++) pauses += n * HTTP_RETRY_BACKOFF_MS;
  return timeoutMs * (retries + 1) + pauses;
}

export const httpRuntime: NodeRuntime<'http'> = {
  phases: ['http-waiting'],
  enter(node, b) {
    const env = b.env();
    const headers: Record<string, string> = {};
    for (const [name, value] of node.headers) headers[name] = renderTemplate(value, env).replace(/[\r\n]+/g, ' ');
    let body: string | null = null;
    if (node.body?.kind === 'text') {
      body = renderTemplate(node.body.template, env);
      if (!hasHeader(headers, 'content-type')) headers['content-type'] = 'text/plain; charset=utf-8';
    } else if (node.body) {
      body = JSON.stringify(renderJson(node.body, env));
      if (!hasHeader(headers, 'content-type')) headers['content-type'] = 'application/json';
    }
    if (!hasHeader(headers, 'accept')) headers['accept'] = 'application/json';
    const timeoutMs = Math.round(node.timeoutSec * 1000);
    b.phase('http-waiting');
    const requestId = b.openRequest('http');
    b.commands.push({
      kind: 'http',
      requestId,
      nodeId: node.id,
      method: node.method,
      url: renderTemplate(node.url, env, encodeURIComponent),
      headers,
      body,
      timeoutMs,
      retries: node.retries,
    });
    b.startTimer(httpBudgetMs(timeoutMs, node.retries) + HTTP_GUARD_MARGIN_MS);
  },
  onInput(node, b, input) {
    if (input.kind === 'http-result') {
      b.closeRequest();
      b.cancelTimer();
      const ok = input.outcome === 'ok';
      b.emit({
        type: 'http.completed',
        callId: b.state.call.callId,
        nodeId: node.id,
        outcome: ok ? 'ok' : 'error',
        ...(input.status !== undefined ? { httpStatus: input.status } : {}),
        attempts: input.attempts,
        elapsedMs: input.elapsedMs,
        ...(input.error ? { error: input.error } : {}),
      });
      if (node.statusInto !== null) b.setVariable(node.statusInto, input.status ?? 0);
      if (ok) {
        for (const m of node.map) b.setVariable(m.variable, pick(input.body, m));
        b.goto(node.next);
      } else b.goto(node.onError);
      return;
    }
    if (input.kind !== 'play-finished' && input.kind !== 'digit' && input.kind !== 'timer') return b.ignore('not-expected');
    switch (HTTP_TABLE['http-waiting'][input.kind]) {
      case 'timeout':
        b.cancelRequest();
        b.emit({
          type: 'http.completed',
          callId: b.state.call.callId,
          nodeId: node.id,
          outcome: 'timeout',
          attempts: node.retries + 1,
          elapsedMs: httpBudgetMs(Math.round(node.timeoutSec * 1000), node.retries) + HTTP_GUARD_MARGIN_MS,
          error: 'no result in time',
        });
        if (node.statusInto !== null) b.setVariable(node.statusInto, 0);
        b.goto(node.onError);
        return;
      case 'type-ahead':
        if (input.kind === 'digit') b.pushTypeAhead({ digit: input.digit, source: input.source });
        return;
      case 'ignore':
        b.ignore('not-expected');
        return;
    }
  },
};

function hasHeader(headers: Record<string, string>, name: string): boolean {
  return Object.keys(headers).some((h) => h.toLowerCase() === name);
}

function renderJson(t: JsonTemplate, env: ExprEnv): unknown {
  switch (t.kind) {
    case 'text':
      return templateValue(t.template, env);
    case 'value':
      return t.value;
    case 'list':
      return t.items.map((i) => renderJson(i, env));
    case 'object':
      return Object.fromEntries(t.entries.map(([k, v]) => [k, renderJson(v, env)]));
  }
}

/** The value at a path in a JSON answer; objects and lists become JSON text; missing is null. */
export function pick(body: unknown, m: HttpMapping): ExprValue {
  let v: unknown = body;
  for (const seg of m.path) {
    if (Array.isArray(v) && /^\d+$/.test(seg)) v = v[Number(seg)];
    else if (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.hasOwn(v, seg)) v = (v as Record<string, unknown>)[seg];
    else return null;
  }
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v.slice(0, MAX_MAPPED_TEXT);
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'boolean') return v;
  return JSON.stringify(v).slice(0, MAX_MAPPED_TEXT);
}

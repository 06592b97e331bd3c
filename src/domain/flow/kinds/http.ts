/**
 * `http`: a data dip ("查询订单/余额"). The URL's scheme and host are fixed in the file (expressions may only
 * fill the path and query, percent-encoded), so a caller's digits can never choose where the engine connects.
 * The answer's JSON is mapped into variables; any failure (timeout, refused, non-2xx, not JSON) goes to onError.
 */
import type { Template } from '../expr/template.js';
import type { FieldReader } from '../fields.js';
import { HTTP_LIMITS, HTTP_METHODS, type HttpMapping, type HttpMethod, type JsonTemplate } from '../model.js';
import { FlowProblemCodes as C } from '../problems.js';
import type { SourceNode } from '../source.js';
import { f, VARIABLE_HINT, VARIABLE_PATTERN } from '../spec.js';
import type { NodeKind } from './kind.js';

/** RFC 9110 §5.1 field names are tokens. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** The literal start of a URL template up to the end of the host: expressions only after it. */
const FIXED_ORIGIN = /^https?:\/\/[^/?#${}\s]+(?:[/?#]|$)/;
const PATH_SEGMENT = /^[^.]+$/;

export const httpKind: NodeKind<'http'> = {
  type: 'http',
  doc: 'Calls an HTTP service (timeout, retries) and maps its JSON answer into variables; failures go to onError.',
  fields: [
    f.enum('method', 'HTTP method', HTTP_METHODS, { default: 'GET' }),
    f.template('url', 'http(s) URL; ${...} may fill the path and query (percent-encoded), not the host', { required: true }),
    f.custom('headers', 'header name → template', { type: 'object', propertyNames: { pattern: HEADER_NAME.source }, additionalProperties: { type: ['string', 'number'] } }),
    f.custom('body', 'a JSON body (map or list, strings are templates) or a text template', { type: ['object', 'array', 'string'] }),
    f.number('timeoutSec', 'per attempt', { min: HTTP_LIMITS.minTimeoutSec, max: HTTP_LIMITS.maxTimeoutSec, integer: false, unit: 'seconds' }, { default: HTTP_LIMITS.defaultTimeoutSec }),
    f.number('retries', 'attempts after the first one (on network errors, timeouts and 5xx)', { min: 0, max: HTTP_LIMITS.maxRetries, integer: true }, { default: HTTP_LIMITS.defaultRetries }),
    f.custom('map', 'variable → path in the JSON answer, e.g. order_status: status, level: customer.level, first: items.0.name', {
      type: 'object',
      propertyNames: { pattern: VARIABLE_PATTERN.source },
      additionalProperties: { type: 'string', minLength: 1 },
    }),
    f.variable('statusInto', 'variable that receives the HTTP status (0 when no answer came)'),
    f.target('next', 'node after a 2xx JSON answer', { required: true }),
    f.target('onError', 'node after a timeout, a network error, a non-2xx status or an answer that is not JSON', { required: true }),
  ],
  decode(r, id) {
    const url = r.template('url');
    if (url) checkUrl(r, id, url);
    const statusInto = r.str('statusInto') ?? null;
    if (statusInto !== null) r.assigns(statusInto, r.entry('statusInto')!.value.pos);
    return {
      type: 'http',
      id,
      method: r.oneOf<HttpMethod>('method') ?? 'GET',
      url: url ?? { parts: [] },
      headers: decodeHeaders(r, id),
      body: decodeBody(r),
      timeoutSec: r.num('timeoutSec') ?? HTTP_LIMITS.defaultTimeoutSec,
      retries: r.num('retries') ?? HTTP_LIMITS.defaultRetries,
      map: decodeMap(r, id),
      statusInto,
      next: r.target('next') ?? '',
      onError: r.target('onError') ?? '',
    };
  },
};

function checkUrl(r: FieldReader, id: string, url: Template): void {
  const first = url.parts[0];
  const prefix = first && 'text' in first ? first.text : '';
  if (!FIXED_ORIGIN.test(prefix)) {
    r.problems.add(
      C.BAD_URL,
      r.entry('url')!.value.pos,
      `node "${id}": "url" must start with http:// or https:// and a fixed host; expressions may only fill the path and query`,
    );
  }
}

function decodeHeaders(r: FieldReader, id: string): Array<readonly [string, Template]> {
  const e = r.entry('headers');
  if (!e) return [];
  if (e.value.kind !== 'map') {
    r.wrongType('headers', e.value, 'a map of header name → value');
    return [];
  }
  const out: Array<readonly [string, Template]> = [];
  for (const h of e.value.entries) {
    if (!HEADER_NAME.test(h.key)) {
      r.problems.add(C.BAD_VALUE, h.keyPos, `node "${id}": "${h.key}" is not a valid header name`);
      continue;
    }
    const t = r.templateOf(`headers.${h.key}`, h.value, true);
    if (t) out.push([h.key, t]);
  }
  return out;
}

function decodeBody(r: FieldReader): JsonTemplate | null {
  const e = r.entry('body');
  if (!e) return null;
  if (e.value.kind === 'scalar' && typeof e.value.value !== 'string') {
    r.wrongType('body', e.value, 'a map, a list or a text');
    return null;
  }
  return jsonTemplate(r, 'body', e.value);
}

function jsonTemplate(r: FieldReader, label: string, node: SourceNode): JsonTemplate | null {
  if (node.kind === 'map') {
    const entries: Array<readonly [string, JsonTemplate]> = [];
    for (const e of node.entries) {
      const v = jsonTemplate(r, `${label}.${e.key}`, e.value);
      if (v) entries.push([e.key, v]);
    }
    return { kind: 'object', entries };
  }
  if (node.kind === 'seq') {
    const items = node.items.map((item, i) => jsonTemplate(r, `${label}[${i}]`, item)).filter((x): x is JsonTemplate => x !== null);
    return { kind: 'list', items };
  }
  if (typeof node.value === 'string') {
    const template = r.templateOf(label, node, false);
    return template ? { kind: 'text', template } : null;
  }
  return { kind: 'value', value: node.value };
}

function decodeMap(r: FieldReader, id: string): HttpMapping[] {
  const e = r.entry('map');
  if (!e) return [];
  if (e.value.kind !== 'map') {
    r.wrongType('map', e.value, 'a map of variable → JSON path');
    return [];
  }
  const out: HttpMapping[] = [];
  for (const m of e.value.entries) {
    if (!VARIABLE_PATTERN.test(m.key)) {
      r.problems.add(C.BAD_VALUE, m.keyPos, `node "${id}": "${m.key}" is not a variable name (${VARIABLE_HINT})`);
      continue;
    }
    const path = r.stringOf(`map.${m.key}`, m.value);
    if (path === undefined) continue;
    const segments = path.split('.');
    if (!segments.every((s) => PATH_SEGMENT.test(s))) {
      r.bad(`map.${m.key}`, m.value, `must be a path like customer.level or items.0.name, got ${JSON.stringify(path)}`);
      continue;
    }
    r.assigns(m.key, m.keyPos);
    out.push({ variable: m.key, path: segments });
  }
  return out;
}

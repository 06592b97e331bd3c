/**
 * Canned HTTP answers for the simulator (`hotline flow try --http-fixture answers.json`), so a flow's data
 * dips can be walked without the real service:
 *
 *   {
 *     "GET http://127.0.0.1:8090/orders/123456": { "status": 200, "json": { "status": "shipped" } },
 *     "http://127.0.0.1:8090/customers/*":       { "json": { "level": "vip" } },
 *     "*":                                        { "error": "ECONNREFUSED" }
 *   }
 *
 * Keys are "METHOD URL" or "URL"; a trailing "*" matches any rest; the longest matching key wins. An answer
 * has `status` (default 200), `json` or `body` (text), or `error` (a network failure) or `timeout: true`.
 */
import type { HttpRequestCommand, HttpResult } from '../domain/flow/commands.js';
import type { HttpDip } from './flow-http.js';

export interface FixtureAnswer {
  status?: number;
  json?: unknown;
  body?: string;
  error?: string;
  timeout?: boolean;
  elapsedMs?: number;
}

export class FixtureProblem extends Error {}

/** Checks a parsed fixture file; throws a FixtureProblem naming the bad key. */
export function parseFixture(value: unknown): Record<string, FixtureAnswer> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new FixtureProblem('an HTTP fixture must be a JSON object of "METHOD URL" → answer');
  const out: Record<string, FixtureAnswer> = {};
  for (const [key, answer] of Object.entries(value as Record<string, unknown>)) {
    if (answer === null || typeof answer !== 'object' || Array.isArray(answer)) throw new FixtureProblem(`fixture "${key}": the answer must be an object like { "status": 200, "json": {...} }`);
    const a = answer as FixtureAnswer;
    const unknown = Object.keys(a).filter((k) => !['status', 'json', 'body', 'error', 'timeout', 'elapsedMs'].includes(k));
    if (unknown.length > 0) throw new FixtureProblem(`fixture "${key}": unknown field ${unknown.map((k) => `"${k}"`).join(', ')} (allowed: status, json, body, error, timeout, elapsedMs)`);
    if (a.status !== undefined && (!Number.isInteger(a.status) || a.status < 100 || a.status > 599)) throw new FixtureProblem(`fixture "${key}": "status" must be an HTTP status`);
    out[key] = a;
  }
  return out;
}

export class FixtureHttpDip implements HttpDip {
  constructor(private readonly answers: Readonly<Record<string, FixtureAnswer>>) {}

  run(cmd: HttpRequestCommand): Promise<HttpResult> {
    const base = { kind: 'http-result' as const, requestId: cmd.requestId, attempts: 1 };
    const found = this.match(cmd.method, cmd.url);
    if (!found) return Promise.resolve({ ...base, outcome: 'error', error: 'no fixture for this request', elapsedMs: 0 });
    const elapsedMs = found.elapsedMs ?? 20;
    if (found.timeout) return Promise.resolve({ ...base, outcome: 'error', error: 'timeout', attempts: cmd.retries + 1, elapsedMs: cmd.timeoutMs * (cmd.retries + 1) });
    if (found.error !== undefined) return Promise.resolve({ ...base, outcome: 'error', error: found.error, elapsedMs });
    const status = found.status ?? 200;
    if (status < 200 || status > 299) return Promise.resolve({ ...base, outcome: 'error', status, error: `HTTP ${status}`, elapsedMs });
    if (found.json === undefined) {
      try {
        return Promise.resolve({ ...base, outcome: 'ok', status, body: JSON.parse(found.body ?? '') as unknown, elapsedMs });
      } catch {
        return Promise.resolve({ ...base, outcome: 'error', status, error: 'not JSON', elapsedMs });
      }
    }
    return Promise.resolve({ ...base, outcome: 'ok', status, body: found.json, elapsedMs });
  }

  private match(method: string, url: string): FixtureAnswer | undefined {
    let best: { len: number; answer: FixtureAnswer } | undefined;
    for (const [key, answer] of Object.entries(this.answers)) {
      const m = /^([A-Z]+)\s+(.*)$/.exec(key);
      if (m && m[1] !== method) continue;
      const pattern = m ? m[2]! : key;
      const hit = pattern.endsWith('*') ? url.startsWith(pattern.slice(0, -1)) : url === pattern;
      // Longest pattern wins; a method-specific key beats the same URL without a method.
      const len = pattern.length * 2 + (m ? 1 : 0);
      if (hit && (!best || len > best.len)) best = { len, answer };
    }
    return best?.answer;
  }
}

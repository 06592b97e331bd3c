/**
 * Runs the HTTP requests of flow `http` nodes with fetch: a timeout per attempt, retries with a growing pause
 * on network errors, timeouts and 5xx answers, redirects refused (the host is fixed in the flow file), and
 * answers bounded in size. Never throws: every outcome becomes an `http-result` input for the interpreter,
 * whose own guard timer bounds the whole dip anyway.
 */
import type { HttpRequestCommand, HttpResult } from '../domain/flow/commands.js';
import { HTTP_RETRY_BACKOFF_MS } from '../domain/flow/runtime/http.js';
import type { Clock } from '../ports/clock.js';

/** Larger answers are refused: an order status is a few hundred bytes. */
export const MAX_ANSWER_BYTES = 1024 * 1024;

export interface HttpDip {
  /** Runs the request; resolves with the result (never rejects). `signal` abandons it (the flow moved on). */
  run(cmd: HttpRequestCommand, signal: AbortSignal): Promise<HttpResult>;
}

type Attempt = { kind: 'answer'; status: number; body: string | null; tooLarge: boolean } | { kind: 'failed'; error: string; retryable: boolean };

export class FetchHttpDip implements HttpDip {
  constructor(
    private readonly clock: Clock,
    private readonly fetchFn: typeof fetch = fetch,
  ) {}

  async run(cmd: HttpRequestCommand, signal: AbortSignal): Promise<HttpResult> {
    const startedMs = this.clock.nowMs();
    const result = (outcome: 'ok' | 'error', attempts: number, extra: Partial<HttpResult>): HttpResult => ({
      kind: 'http-result',
      requestId: cmd.requestId,
      outcome,
      attempts,
      elapsedMs: this.clock.nowMs() - startedMs,
      ...extra,
    });
    let last: Attempt = { kind: 'failed', error: 'not attempted', retryable: false };
    let attempts = 0;
    for (let n = 0; n <= cmd.retries; n++) {
      if (n > 0) {
        const waited = await this.pause(n * HTTP_RETRY_BACKOFF_MS, signal);
        if (!waited) break;
      }
      if (signal.aborted) break;
      attempts++;
      last = await this.attempt(cmd, signal);
      if (last.kind === 'answer' && last.status < 500) break;
      if (last.kind === 'failed' && !last.retryable) break;
    }
    if (signal.aborted) return result('error', Math.max(attempts, 1), { error: 'cancelled' });
    if (last.kind === 'failed') return result('error', attempts, { error: last.error });
    const { status } = last;
    if (status < 200 || status > 299) return result('error', attempts, { status, error: `HTTP ${status}` });
    if (last.tooLarge) return result('error', attempts, { status, error: 'answer too large' });
    try {
      return result('ok', attempts, { status, body: JSON.parse(last.body ?? '') as unknown });
    } catch {
      return result('error', attempts, { status, error: 'not JSON' });
    }
  }

  private async attempt(cmd: HttpRequestCommand, outer: AbortSignal): Promise<Attempt> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = this.clock.setTimer(cmd.timeoutMs, () => {
      timedOut = true;
      controller.abort();
    });
    const onOuterAbort = (): void => controller.abort();
    outer.addEventListener('abort', onOuterAbort, { once: true });
    try {
      const res = await this.fetchFn(cmd.url, {
        method: cmd.method,
        headers: cmd.headers,
        ...(cmd.body !== null ? { body: cmd.body } : {}),
        redirect: 'error',
        signal: controller.signal,
      });
      const { text, tooLarge } = await readBounded(res);
      return { kind: 'answer', status: res.status, body: text, tooLarge };
    } catch (err) {
      if (timedOut) return { kind: 'failed', error: 'timeout', retryable: true };
      if (outer.aborted) return { kind: 'failed', error: 'cancelled', retryable: false };
      return { kind: 'failed', error: networkError(err), retryable: true };
    } finally {
      timer.cancel();
      outer.removeEventListener('abort', onOuterAbort);
    }
  }

  /** Waits `ms` on the clock; false when abandoned meanwhile. */
  private pause(ms: number, signal: AbortSignal): Promise<boolean> {
    return new Promise((resolve) => {
      if (signal.aborted) {
        resolve(false);
        return;
      }
      const onAbort = (): void => {
        t.cancel();
        resolve(false);
      };
      const t = this.clock.setTimer(ms, () => {
        signal.removeEventListener('abort', onAbort);
        resolve(true);
      });
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}

async function readBounded(res: Response): Promise<{ text: string | null; tooLarge: boolean }> {
  if (!res.body) return { text: '', tooLarge: false };
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_ANSWER_BYTES) {
      await reader.cancel();
      return { text: null, tooLarge: true };
    }
    chunks.push(value);
  }
  return { text: Buffer.concat(chunks).toString('utf8'), tooLarge: false };
}

/** A short reason without the URL (it may carry caller data): the error code when there is one. */
function networkError(err: unknown): string {
  const cause = (err as { cause?: { code?: unknown } } | undefined)?.cause;
  if (cause && typeof cause.code === 'string') return cause.code;
  if (err instanceof Error && err.name === 'AbortError') return 'aborted';
  return 'network error';
}

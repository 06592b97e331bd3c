/** The http dip executor against a local server on 127.0.0.1: outcomes, retries, timeouts, limits. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SystemClock } from '../../../src/adapters/clock/system-clock.js';
import { FetchHttpDip, MAX_ANSWER_BYTES } from '../../../src/app/flow-http.js';
import type { HttpRequestCommand } from '../../../src/domain/flow/commands.js';

let server: Server;
let base = '';
const hits = new Map<string, number>();
const seen: Array<{ method: string; url: string; body: string; auth: string | undefined }> = [];
const clock = new SystemClock();

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = req.url ?? '';
    hits.set(url, (hits.get(url) ?? 0) + 1);
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url, body, auth: req.headers['authorization'] });
      if (url.startsWith('/ok')) return json(res, 200, { status: 'shipped', echo: body ? (JSON.parse(body) as unknown) : null });
      if (url === '/notjson') return text(res, 200, '<html>hi</html>');
      if (url === '/missing') return json(res, 404, { error: 'no such order' });
      if (url === '/flaky' && (hits.get(url) ?? 0) < 3) return json(res, 503, {});
      if (url === '/flaky') return json(res, 200, { ok: true });
      if (url === '/down') return json(res, 503, {});
      if (url === '/big') return text(res, 200, 'x'.repeat(MAX_ANSWER_BYTES + 10));
      if (url === '/redirect') {
        res.writeHead(302, { location: '/ok' });
        res.end();
        return;
      }
      if (url === '/slow') return; // never answers
      json(res, 500, {});
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  clock.close();
});

function json(res: import('node:http').ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
function text(res: import('node:http').ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/plain' });
  res.end(body);
}

function cmd(path: string, extra: Partial<HttpRequestCommand> = {}): HttpRequestCommand {
  return { kind: 'http', requestId: 'r1', nodeId: 'lookup', method: 'GET', url: `${base}${path}`, headers: {}, body: null, timeoutMs: 5000, retries: 0, ...extra };
}

const dip = new FetchHttpDip(clock);
const run = (c: HttpRequestCommand, signal = new AbortController().signal) => dip.run(c, signal);

describe('FetchHttpDip', () => {
  it('a 2xx JSON answer is ok, with the parsed body; method, headers and body are sent', async () => {
    const r = await run(cmd('/ok/1', { method: 'POST', headers: { authorization: 'Bearer t', 'content-type': 'application/json' }, body: '{"order":"1"}' }));
    expect(r).toMatchObject({ kind: 'http-result', requestId: 'r1', outcome: 'ok', status: 200, attempts: 1, body: { status: 'shipped', echo: { order: '1' } } });
    expect(seen.at(-1)).toMatchObject({ method: 'POST', url: '/ok/1', auth: 'Bearer t' });
  });

  it('not JSON, a 4xx (not retried), an answer too large and a redirect are errors', async () => {
    expect(await run(cmd('/notjson'))).toMatchObject({ outcome: 'error', status: 200, error: 'not JSON' });
    expect(await run(cmd('/missing', { retries: 2 }))).toMatchObject({ outcome: 'error', status: 404, error: 'HTTP 404', attempts: 1 });
    expect(await run(cmd('/big'))).toMatchObject({ outcome: 'error', status: 200, error: 'answer too large' });
    const redirected = await run(cmd('/redirect'));
    expect(redirected.outcome).toBe('error');
    expect(redirected.status).toBeUndefined();
  });

  it('retries 5xx answers and gives the last one', async () => {
    expect(await run(cmd('/flaky', { retries: 3 }))).toMatchObject({ outcome: 'ok', status: 200, attempts: 3 });
    expect(await run(cmd('/down', { retries: 1 }))).toMatchObject({ outcome: 'error', status: 503, error: 'HTTP 503', attempts: 2 });
  });

  it('a server that never answers times out per attempt', async () => {
    expect(await run(cmd('/slow', { timeoutMs: 100, retries: 1 }))).toMatchObject({ outcome: 'error', error: 'timeout', attempts: 2 });
  });

  it('a refused connection is a network error with its code', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    expect(await run({ ...cmd('/'), url: `http://127.0.0.1:${port}/` })).toMatchObject({ outcome: 'error', error: 'ECONNREFUSED', attempts: 1 });
  });

  it('abandoning the request (the flow moved on) ends it as cancelled', async () => {
    const controller = new AbortController();
    const pending = run(cmd('/slow', { timeoutMs: 30_000 }), controller.signal);
    controller.abort();
    expect(await pending).toMatchObject({ outcome: 'error', error: 'cancelled' });
  });
});

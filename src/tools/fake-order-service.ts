/**
 * A small fake order-status and customer service for the sample hotline (ivr-flows/hotline-400.yaml),
 * for tests and demos. Listens on 127.0.0.1 only.
 *
 *   GET /orders/<id>        200 { status, eta?, amount } for the sample orders; 404 otherwise;
 *                           503 for order 500500 (a service that is down)
 *   GET /customers/<number> 200 { class, name } for the sample customers; 404 otherwise
 *   GET /health             200 { ok: true }
 *
 * Run it for a demo:  npx tsx src/tools/fake-order-service.ts [--port 8090] [--delay-ms 0]
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const FAKE_ORDERS: Readonly<Record<string, { status: string; eta?: string; amount: number }>> = {
  '20261123': { status: 'shipped', eta: '2026-11-25', amount: 128.5 },
  '20261124': { status: 'processing', amount: 66 },
  '20261120': { status: 'delivered', amount: 299 },
  '20261101': { status: 'lost-in-space', amount: 1 },
};
/** An order whose lookup fails with 503, to walk the "service down" branch. */
export const FAILING_ORDER = '500500';

export const FAKE_CUSTOMERS: Readonly<Record<string, { class: 'vip' | 'returning'; name: string }>> = {
  '13800138000': { class: 'vip', name: '王芳' },
  '13900139000': { class: 'returning', name: '李娜' },
};

export interface FakeOrderService {
  readonly url: string;
  readonly port: number;
  /** Requests received, as "METHOD path". */
  readonly requests: readonly string[];
  close(): Promise<void>;
}

export interface FakeOrderOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Delay before each answer, to exercise timeouts. */
  delayMs?: number;
}

export async function startFakeOrderService(opts: FakeOrderOptions = {}): Promise<FakeOrderService> {
  const requests: string[] = [];
  const pending = new Set<NodeJS.Timeout>();
  const server: Server = createServer((req, res) => {
    requests.push(`${req.method ?? ''} ${req.url ?? ''}`);
    const answer = (): void => answerRequest(req, res);
    if (!opts.delayMs) return answer();
    const t = setTimeout(() => {
      pending.delete(t);
      answer();
    }, opts.delayMs);
    pending.add(t);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: async () => {
      for (const t of pending) clearTimeout(t);
      pending.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function answerRequest(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const parts = url.pathname.split('/').filter((p) => p !== '').map(decodeURIComponent);
  if (req.method !== 'GET') return send(res, 405, { error: 'only GET' });
  if (parts.length === 1 && parts[0] === 'health') return send(res, 200, { ok: true });
  if (parts.length === 2 && parts[0] === 'orders') {
    const id = parts[1]!;
    if (id === FAILING_ORDER) return send(res, 503, { error: 'order database unavailable' });
    const order = FAKE_ORDERS[id];
    return order ? send(res, 200, { id, ...order }) : send(res, 404, { error: `no order ${id}` });
  }
  if (parts.length === 2 && parts[0] === 'customers') {
    const customer = FAKE_CUSTOMERS[parts[1]!];
    return customer ? send(res, 200, customer) : send(res, 404, { error: 'unknown customer' });
  }
  send(res, 404, { error: 'no such route' });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const port = Number(argValue('--port') ?? 8090);
  const delayMs = Number(argValue('--delay-ms') ?? 0);
  startFakeOrderService({ port, delayMs }).then(
    (svc) => {
      process.stdout.write(`fake order service on ${svc.url} (orders ${Object.keys(FAKE_ORDERS).join(', ')}; customers ${Object.keys(FAKE_CUSTOMERS).join(', ')})\n`);
      const stop = (): void => void svc.close();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    },
    (err: unknown) => {
      process.stderr.write(`fake order service: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { Transport } from '../../app/protocol/messages';
import { socketTransport } from '../../app/protocol/socket-transport';
import { allowedHosts, authorize, newToken, TOKEN_COOKIE } from './security';
import { serveStatic } from './static';

/** A route outside the renderer and the RPC socket (e.g. the MLflow tracking API). */
export type Route = (request: IncomingMessage, response: ServerResponse, url: URL) => Promise<boolean>;

export interface ServerOptions {
  host: string;
  port: number;
  rendererDir: string;
  token?: string;
  /** Called for each authorised WebSocket on /rpc; returns a disposer. */
  onConnection(transport: Transport): () => void;
  routes?: Route[];
  maxMessageBytes?: number;
}

export interface RunningServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

function securityHeaders(port: number): Record<string, string> {
  const csp = [
    "default-src 'self'",
    "script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval' blob:",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "worker-src 'self' blob:",
    `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port} blob: data:`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
  ].join('; ');
  return {
    'content-security-policy': csp,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'x-frame-options': 'DENY',
  };
}

/**
 * The browser shape's host: serves the built renderer and the RPC WebSocket on `/rpc`. Every
 * request needs the token and a loopback (or explicitly bound) Host; foreign Origins are refused.
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const token = options.token ?? newToken();
  const sockets = new WebSocketServer({ noServer: true, maxPayload: options.maxMessageBytes ?? 512 * 1024 * 1024 });
  const disposers = new Set<() => void>();
  let hosts = new Set<string>();
  let headers: Record<string, string> = {};

  const server = createServer((request, response) => {
    void handleRequest(request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
      response.end(`Internal error: ${error instanceof Error ? error.message : String(error)}`);
    });
  });

  async function handleRequest(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const auth = authorize(request, url, token, hosts);
    if (!auth.ok) {
      response.writeHead(auth.status, { 'content-type': 'text/plain; charset=utf-8', ...headers }).end(auth.reason);
      return;
    }
    if (auth.viaQuery) response.setHeader('set-cookie', `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`);
    for (const route of options.routes ?? []) if (await route(request, response, url)) return;
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { 'content-type': 'text/plain' }).end('Method not allowed');
      return;
    }
    await serveStatic(options.rendererDir, url.pathname, response, headers);
  }

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const auth = authorize(request, url, token, hosts);
    if (!auth.ok || url.pathname !== '/rpc') {
      const status = auth.ok ? 404 : auth.status;
      socket.end(`HTTP/1.1 ${status} ${status === 404 ? 'Not Found' : 'Forbidden'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => {
      const transport = socketTransport(ws);
      const dispose = options.onConnection(transport);
      disposers.add(dispose);
      ws.on('close', () => {
        disposers.delete(dispose);
        dispose();
      });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  hosts = allowedHosts(options.host, port);
  headers = securityHeaders(port);
  const shownHost = options.host.includes(':') ? `[${options.host}]` : options.host === '0.0.0.0' ? '127.0.0.1' : options.host;
  return {
    url: `http://${shownHost}:${port}/?token=${token}`,
    port,
    token,
    async close() {
      for (const client of sockets.clients) client.terminate();
      for (const dispose of disposers) dispose();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

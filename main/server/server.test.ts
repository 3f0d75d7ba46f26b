import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Transport } from '../../app/protocol/messages';
import { socketTransport } from '../../app/protocol/socket-transport';
import { describeRpcContract, testContract, testHandlers } from '../../app/protocol/rpc-contract.testkit';
import { serveRpc } from '../../app/protocol/rpc';
import { startServer, type RunningServer } from './server';

let server: RunningServer;
let rendererDir: string;
const pendingServerEnds: ((t: Transport) => void)[] = [];

beforeAll(async () => {
  rendererDir = await mkdtemp(join(tmpdir(), 'vajra-renderer-'));
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Vajra</title>');
  server = await startServer({
    host: '127.0.0.1',
    port: 0,
    rendererDir,
    onConnection(transport) {
      const waiting = pendingServerEnds.shift();
      if (waiting) {
        waiting(transport);
        return () => undefined;
      }
      const rpc = serveRpc(testContract, testHandlers({ aborted: [], calls: [] }, (text) => rpc.emit('announced', { text })), transport);
      return () => rpc.close();
    },
  });
});
afterAll(async () => {
  await server.close();
  await rm(rendererDir, { recursive: true });
});

function connect(headers: Record<string, string> = {}, query = `?token=${server.token}`): WebSocket {
  return new WebSocket(`ws://127.0.0.1:${server.port}/rpc${query}`, { headers });
}

describeRpcContract('a real WebSocket', async () => {
  const serverEnd = new Promise<Transport>((resolve) => pendingServerEnds.push(resolve));
  const client = socketTransport(connect({ origin: `http://127.0.0.1:${server.port}` }));
  return { client, server: await serverEnd };
});

describe('startServer() security', () => {
  const base = () => `http://127.0.0.1:${server.port}`;

  it('refuses a page request without the token', async () => {
    const response = await fetch(`${base()}/`);
    expect(response.status).toBe(401);
    expect(await response.text()).toMatch(/token/);
  });

  it('serves the renderer with the token, sets a cookie, and accepts the cookie afterwards', async () => {
    const first = await fetch(`${base()}/?token=${server.token}`);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    const cookie = first.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly; SameSite=Strict/);
    const second = await fetch(`${base()}/some/route`, { headers: { cookie: cookie.split(';')[0]! } });
    expect(second.status).toBe(200);
    expect(await second.text()).toContain('<title>Vajra</title>');
  });

  it('refuses a wrong token and a foreign Host header (DNS rebinding)', async () => {
    expect((await fetch(`${base()}/?token=${'x'.repeat(43)}`)).status).toBe(401);
    const rebinding = await new Promise<number>((resolve) => {
      import('node:http').then(({ request }) => {
        const req = request({ host: '127.0.0.1', port: server.port, path: `/?token=${server.token}`, headers: { host: `evil.example:${server.port}` } }, (res) => resolve(res.statusCode ?? 0));
        req.end();
      });
    });
    expect(rebinding).toBe(403);
  });

  it('refuses a WebSocket without the token or from a foreign Origin', async () => {
    const statusOf = (socket: WebSocket) => new Promise<number>((resolve) => {
      socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      socket.on('open', () => resolve(101));
      socket.on('error', () => undefined);
    });
    expect(await statusOf(connect({}, ''))).toBe(401);
    expect(await statusOf(connect({ origin: 'http://evil.example' }))).toBe(403);
    const ok = connect({ origin: `http://localhost:${server.port}` });
    expect(await statusOf(ok)).toBe(101);
    ok.close();
  });

  it('blocks path traversal out of the renderer folder', async () => {
    const response = await fetch(`${base()}/..%2F..%2Fetc%2Fpasswd?token=${server.token}`);
    expect([403, 404]).toContain(response.status);
  });
});

import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_COOKIE = 'vajra_token';

/** A fresh random 32-byte token, URL-safe. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** True for the loopback names and addresses that `vajra serve` binds by default. */
export function isLoopback(host: string): boolean {
  return host === '127.0.0.1' || host === 'localhost' || host === '::1' || host.startsWith('127.');
}

/** The Host header values a request may carry (anything else is DNS rebinding or a mistake). */
export function allowedHosts(bindHost: string, port: number): Set<string> {
  const hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
  if (!isLoopback(bindHost)) hosts.add(`${bindHost.includes(':') ? `[${bindHost}]` : bindHost}:${port}`);
  return hosts;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookieValue(request: IncomingMessage, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

export type AuthResult = { ok: true; viaQuery: boolean } | { ok: false; status: number; reason: string };

/**
 * Checks Host, Origin and the token (query `?token=`, the cookie set after the first visit, or
 * `Authorization: Bearer` for API clients such as MLflow's). Every HTTP request and every
 * WebSocket upgrade goes through here.
 */
export function authorize(request: IncomingMessage, url: URL, token: string, hosts: Set<string>): AuthResult {
  const host = request.headers.host ?? '';
  if (!hosts.has(host)) return { ok: false, status: 403, reason: `Forbidden host "${host}".` };
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== 'null') {
    let originHost: string;
    try {
      originHost = new URL(origin).host;
    } catch {
      return { ok: false, status: 403, reason: 'Forbidden origin.' };
    }
    if (!hosts.has(originHost)) return { ok: false, status: 403, reason: `Forbidden origin "${origin}".` };
  } else if (origin === 'null') {
    return { ok: false, status: 403, reason: 'Forbidden origin "null".' };
  }
  const fromQuery = url.searchParams.get('token');
  if (fromQuery !== null && safeEqual(fromQuery, token)) return { ok: true, viaQuery: true };
  const fromCookie = cookieValue(request, TOKEN_COOKIE);
  if (fromCookie !== undefined && safeEqual(fromCookie, token)) return { ok: true, viaQuery: false };
  const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
  if (bearer !== undefined && safeEqual(bearer, token)) return { ok: true, viaQuery: false };
  return { ok: false, status: 401, reason: 'Missing or wrong token. Open the URL that `vajra serve` printed (it carries the token).' };
}

import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.ttf': 'font/ttf',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

/** Serves a file of the built renderer; unknown paths without an extension get index.html. */
export async function serveStatic(rootDir: string, pathname: string, response: ServerResponse, headers: Record<string, string>): Promise<void> {
  const decoded = decodeURIComponent(pathname);
  const candidate = normalize(join(rootDir, decoded));
  if (candidate !== rootDir && !candidate.startsWith(rootDir + sep)) {
    response.writeHead(403).end('Forbidden');
    return;
  }
  let file = candidate;
  let info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) {
    if (extname(decoded) !== '') {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
      return;
    }
    file = join(rootDir, 'index.html');
    info = await stat(file).catch(() => undefined);
    if (!info) {
      response.writeHead(500, { 'content-type': 'text/plain' }).end('The renderer is not built. Run `npm run build`.');
      return;
    }
  }
  const isHashedAsset = decoded.startsWith('/assets/');
  response.writeHead(200, {
    ...headers,
    'content-type': MIME[extname(file)] ?? 'application/octet-stream',
    'content-length': String(info.size),
    'cache-control': isHashedAsset ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  createReadStream(file).pipe(response);
}

import { mkdir, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import type { Cell } from '../../../app/export/types';
import { classifierInput, classifierRows, directOutputs, writeRunnableBundle } from './bundle.testkit';

let dir = '';
let server: Server | undefined;
afterAll(async () => {
  server?.close();
  await rm(dir, { recursive: true, force: true });
});

interface WebScorer { score(rows: Record<string, Cell>[]): Promise<{ label: string; probabilities: number[] }[]> }

it('web/score.js createWebScorer().score(rows) (onnxruntime-web, wasm) equals onnxruntime-node to 1e-6', async () => {
  dir = await mkdtemp(join(tmpdir(), 'vajra-web-'));
  const bundle = join(dir, 'b');
  await writeRunnableBundle(classifierInput(), bundle);
  // The offline layout the README describes: onnxruntime-web's files copied (here linked) into web/ort/.
  await mkdir(join(bundle, 'web', 'ort'));
  for (const f of ['ort.wasm.min.mjs', 'ort.wasm.min.mjs.map', 'ort-wasm-simd-threaded.mjs', 'ort-wasm-simd-threaded.wasm']) await symlink(resolve('node_modules/onnxruntime-web/dist', f), join(bundle, 'web', 'ort', f));
  server = createServer((req, res) => {
    readFile(join(bundle, ...(req.url ?? '/').split('/'))).then((bytes) => res.end(bytes), () => res.writeHead(404).end());
  });
  await new Promise<void>((done) => server!.listen(0, '127.0.0.1', done));
  const address = server.address();
  const port = address && typeof address === 'object' ? address.port : 0;
  const { createWebScorer } = (await import(join(bundle, 'web', 'score.js'))) as { createWebScorer(o: { bundleUrl: string }): Promise<WebScorer> };
  const scorer = await createWebScorer({ bundleUrl: `http://127.0.0.1:${port}/` });
  const rows = classifierRows(30);
  const got = await scorer.score(rows);
  const direct = await directOutputs(classifierInput().modelBytes, rows, [{ name: 'age', type: 'number' }, { name: 'income', type: 'number' }, { name: 'city', type: 'string' }]);
  expect(got.map((p) => p.label)).toEqual(Array.from(direct.label!.data as string[]));
  const proba = direct.probabilities!.data as Float32Array;
  got.flatMap((p) => p.probabilities).forEach((v, i) => expect(Math.abs(v - proba[i]!)).toBeLessThanOrEqual(1e-6));
  await expect(scorer.score([{ age: 1, income: 'x', city: 'Pune' }])).rejects.toThrow(/"income", row 0: expected a number/);
});

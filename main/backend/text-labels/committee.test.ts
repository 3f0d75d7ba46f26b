import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asId, type RunId } from '../../../app/base/ids';
import type { PipelineDoc, PipelineNode } from '../../../app/pipeline/document';
import { Backend } from '../backend';
import { NativeDatabase } from '../data/native-engine';
import { createOnnxScorer } from '../pipeline/onnx-scorer';
import { trainPipeline } from '../pipeline/runner';
import { createTrainPool } from '../pipeline/worker-pool';
import { runsResource } from '../services/runs-service';
import { textLabelsHandlers } from '../services/text-labels-service';

let dir: string;
let root: string;
let backend: Backend;
let h: ReturnType<typeof textLabelsHandlers>;
const runs: string[] = [];
const context = () => ({ signal: new AbortController().signal, progress: () => undefined });

const node = (id: string, kind: PipelineNode['kind'], params: Record<string, unknown>): PipelineNode => ({ id, kind, params, position: { x: 0, y: 0 } });
const edge = (from: string, to: string, toPort: string): PipelineDoc['edges'][number] => ({ id: `${from}->${to}.${toPort}`, from: { node: from, port: from === 'split' ? 'train' : from === 'model' ? 'model' : 'data' }, to: { node: to, port: toPort } });

/** source (first 400 comments) → split → vectorizer → model: two different committees members. */
function pipeline(id: string, sql: string, vectorizer: Record<string, unknown>, model: PipelineNode['kind'], target: string): PipelineDoc {
  return {
    version: 1, id, name: id,
    nodes: [node('source', 'source', { from: 'sql', sql }), node('split', 'split', { method: 'random', testFraction: 0.2, seed: 1 }), node('vec', 'textVectorizer', vectorizer), node('model', model, { target })],
    edges: [edge('source', 'split', 'data'), edge('split', 'vec', 'data'), edge('vec', 'model', 'train')],
  };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vajra-committee-'));
  root = join(dir, 'ws');
  cpSync(join(import.meta.dirname, '../../../examples/text'), root, { recursive: true });
  backend = new Backend({ version: 'test', shape: 'browser', configDir: join(dir, 'config'), examplesDir: join(dir, 'examples'), userWorkspacesDir: join(dir, 'home') });
  await backend.openWorkspace(root);
  h = textLabelsHandlers(backend);
  // Two real tracked runs in the workspace's run store: one renames the text column and predicts
  // 'spam'/'ham', the other reads CONTENT and predicts the 0/1 CLASS codes.
  const db = await NativeDatabase.open(':memory:', { file_search_path: root });
  const engine = await db.connect();
  const pool = createTrainPool(1);
  const { store } = await runsResource(backend);
  const host = { root, engine, fitModel: pool.fit, score: createOnnxScorer(), concurrency: 1, version: 'test' };
  const csv = "read_csv('data/Youtube0[1-4]*.csv')";
  const docs = [
    pipeline('hash-logistic', `SELECT CONTENT AS text, CASE WHEN CLASS = 1 THEN 'spam' ELSE 'ham' END AS label FROM ${csv} LIMIT 400`, { column: 'text', mode: 'hashing', nFeatures: 256 }, 'logisticRegression', 'label'),
    pipeline('tfidf-bayes', `SELECT CONTENT, CLASS FROM ${csv} LIMIT 400`, { column: 'CONTENT', mode: 'tfidf', maxFeatures: 200 }, 'naiveBayes', 'CLASS'),
  ];
  try {
    for (const doc of docs) {
      const r = await trainPipeline(host, { doc, path: `${doc.id}.pipeline.json`, store });
      expect(r.execution.failed).toBeUndefined();
      runs.push(r.runId!);
    }
  } finally {
    await pool.close();
    await engine.close();
    db.close();
  }
}, 60_000);
afterAll(async () => {
  await backend.dispose();
  rmSync(dir, { recursive: true, force: true });
});

/** Each run's label for every comment, straight from onnxruntime (not through the committee code). */
async function votes(texts: string[]): Promise<string[][]> {
  const { store } = await runsResource(backend);
  const out: string[][] = [];
  for (const run of runs) {
    const bytes = await store.readArtifact(asId<RunId>(run), 'model.onnx');
    const session = await ort.InferenceSession.create(new Uint8Array(bytes));
    const input = session.inputNames[0]!;
    const result = await session.run({ [input]: new ort.Tensor('string', texts, [texts.length, 1]) });
    out.push(Array.from(result['label']!.data as ArrayLike<string | bigint>, (v) => String(v).toLowerCase().replace(/^1$/, 'spam').replace(/^0$/, 'ham')));
  }
  return out;
}

describe('committee of tracked runs (vote entropy)', () => {
  it('textLabels.setCommittee(two trained runs) orders the queue by their vote entropy: rows they disagree on first, in row order', async () => {
    const set = await h['textLabels.setCommittee']({ name: 'spam', runs }, context());
    expect(set.rows).toBe(1586);
    expect(set.unanimous).toBeGreaterThan(0.5);
    expect(set.unanimous).toBeLessThan(1);
    expect(JSON.parse(readFileSync(join(root, 'labels/spam/textset.json'), 'utf8'))).toMatchObject({ committeeRuns: runs });

    const texts = (await h['textLabels.docs']({ name: 'spam', rows: Array.from({ length: 1000 }, (_, i) => i) }, context())).docs.map((d) => d.text);
    const rest = (await h['textLabels.docs']({ name: 'spam', rows: Array.from({ length: 586 }, (_, i) => 1000 + i) }, context())).docs.map((d) => d.text);
    const [a, b] = await votes([...texts, ...rest]);
    const disagree = a!.flatMap((v, i) => (v !== b![i] ? [i] : []));
    expect(disagree.length / 1586).toBeCloseTo(1 - set.unanimous, 10);

    const q = await h['textLabels.queue']({ name: 'spam', strategy: 'voteEntropy', limit: 1000 }, context());
    expect(q.committee).toBe('runs');
    const top = q.entries.filter((e) => e.score > 0);
    expect(top.map((e) => e.row)).toEqual(disagree.slice(0, 1000));
    for (const e of top) expect(e.score).toBeCloseTo(Math.log(2), 12);
    expect(q.entries.slice(top.length).every((e) => e.score === 0)).toBe(true);
  });

  it('a labelled row leaves the committee queue; setCommittee refuses one run or an unknown run, and [] clears it', async () => {
    const first = (await h['textLabels.queue']({ name: 'spam', strategy: 'voteEntropy', limit: 1 }, context())).entries[0]!;
    const doc = (await h['textLabels.docs']({ name: 'spam', rows: [first.row] }, context())).docs[0]!;
    await h['textLabels.apply']({ name: 'spam', ops: [{ op: 'add', label: { kind: 'doc', id: 'c1', doc: doc.doc, labels: ['SPAM'] } }] }, context());
    const next = await h['textLabels.queue']({ name: 'spam', strategy: 'voteEntropy', limit: 5 }, context());
    expect(next.entries.map((e) => e.row)).not.toContain(first.row);
    await expect(h['textLabels.setCommittee']({ name: 'spam', runs: [runs[0]!] }, context())).rejects.toThrow(/at least two runs/);
    await expect(h['textLabels.setCommittee']({ name: 'spam', runs: [runs[0]!, 'nope'] }, context())).rejects.toThrow(/No tracked run nope/);
    await h['textLabels.setCommittee']({ name: 'spam', runs: [] }, context());
    expect(JSON.parse(readFileSync(join(root, 'labels/spam/textset.json'), 'utf8'))).not.toHaveProperty('committeeRuns');
    expect((await h['textLabels.queue']({ name: 'spam', strategy: 'voteEntropy', limit: 3 }, context())).committee).toBe('models');
  });
});

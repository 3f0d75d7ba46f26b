import { randomUUID } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { throwIfAborted, UserInputError } from '../../../app/base/errors';
import { quoteIdent, type Engine } from '../../../app/data/engine';
import { textAgreement } from '../../../app/labels/agreement';
import { labelList } from '../../../app/labels/model';
import type { LabelOp } from '../../../app/labels/ops';
import { goldCodes } from '../../../app/labels/text/lf-file';
import type { CombinedLabels } from '../../../app/labels/text/programmatic';
import type { TextLabel, TextSetMeta, textLabelsMethods } from '../../../app/protocol/methods/text-labels';
import type { DomainHandlers } from '../../../app/protocol/spec';
import { asId, type RunId } from '../../../app/base/ids';
import type { CancelSignal } from '../../../app/base/signal';
import type { OnnxScorer } from '../../../app/pipeline/run/types';
import type { Backend, WorkspaceResource } from '../backend';
import { createOnnxScorer } from '../pipeline/onnx-scorer';
import { committeePredictions, type CommitteeModel } from '../text-labels/committee';
import { isConll, loadDocuments, sameDocuments } from '../text-labels/documents';
import { markTableLabelSet } from '../text-labels/lineage';
import { Retrainer } from '../text-labels/retrainer';
import { TextSession } from '../text-labels/session';
import { TEXT_META_FILE, TextLabelStore } from '../text-labels/text-label-store';
import type { Workspace } from '../workspace/workspace';
import { workspaceDatabase } from './data-service';
import { defaultModelArtifact, runsResource } from './runs-service';

/** Open text sets of a workspace, each loaded once, and the one retrain worker they share. */
class TextSets implements WorkspaceResource {
  private readonly sessions = new Map<string, Promise<TextSession>>();
  readonly retrainer = new Retrainer();

  constructor(readonly workspace: Workspace, private readonly backend: Backend) {}

  dir(name: string): string {
    return this.workspace.resolve(`labels/${name}`);
  }

  get(name: string, created?: TextLabelStore): Promise<TextSession> {
    let session = this.sessions.get(name);
    if (!session) {
      session = this.load(name, created);
      session.catch(() => this.sessions.delete(name));
      this.sessions.set(name, session);
    }
    return session;
  }

  private async load(name: string, created?: TextLabelStore): Promise<TextSession> {
    const store = created ?? (await TextLabelStore.open(this.dir(name)));
    const docs = await withEngine(this.backend, (engine) => loadDocuments(engine, store.meta, (p) => this.workspace.resolve(p)));
    return new TextSession(store, docs, this.workspace, this.retrainer, (info) => this.backend.events.emit('textLabels.modelUpdated', { name, trainedOn: info.trainedOn, seq: info.seq }));
  }

  async names(): Promise<string[]> {
    const root = this.workspace.resolve('labels');
    const children = await readdir(root, { withFileTypes: true }).catch(() => []);
    const names: string[] = [];
    for (const c of children) if (c.isDirectory() && (await stat(join(root, c.name, TEXT_META_FILE)).then(() => true, () => false))) names.push(c.name);
    return names.sort();
  }

  async close(): Promise<void> {
    for (const s of this.sessions.values()) await s.then((x) => x.store.close(), () => undefined);
    await this.retrainer.close();
  }
}

async function withEngine<T>(backend: Backend, work: (engine: Engine) => Promise<T>): Promise<T> {
  const { db } = await workspaceDatabase(backend);
  const engine = await db.connect();
  try {
    return await work(engine);
  } finally {
    await engine.close();
  }
}

/**
 * The SQL that writes LF labels as a training table: the source rows with at least one LF vote
 * (abstains filtered), plus `label` (class name from the label model) and `confidence` (its
 * posterior probability). Rows are matched by scan order, as the LF run numbered them.
 */
export function trainingTableSql(table: string, relation: string, classes: readonly string[], combined: CombinedLabels): string {
  const rows = Array.from(combined.kept);
  const k = combined.k;
  const labels = rows.map((i) => classes[combined.preds[i]!] ?? null);
  const conf = rows.map((i) => combined.proba[i * k + Math.max(0, combined.preds[i]!)]!);
  const list = (values: readonly unknown[]) => `[${values.map((v) => (v === null ? 'NULL' : typeof v === 'number' ? String(v) : `'${String(v).replaceAll("'", "''")}'`)).join(', ')}]`;
  return [
    `CREATE OR REPLACE TABLE ${quoteIdent(table)} AS`,
    `WITH src AS (SELECT *, (row_number() OVER () - 1)::BIGINT AS __vajra_row FROM ${relation}),`,
    `lab AS (SELECT unnest(${list(rows)}::BIGINT[]) AS __vajra_row, unnest(${list(labels)}::VARCHAR[]) AS label, unnest(${list(conf)}::DOUBLE[]) AS confidence)`,
    `SELECT src.* EXCLUDE (__vajra_row), lab.label, lab.confidence FROM src JOIN lab USING (__vajra_row) WHERE lab.label IS NOT NULL ORDER BY src.__vajra_row`,
  ].join('\n');
}

/**
 * Scores the set's rows through each run's compiled model (onnxruntime-node) and makes their
 * votes the session's vote-entropy committee. Returns the share of rows all members agree on.
 */
async function loadCommittee(backend: Backend, t: TextSession, runs: readonly string[], score: OnnxScorer, signal?: CancelSignal): Promise<number> {
  if (t.docs.relation === null || t.classNames.length < 2) throw new UserInputError('A committee votes on document classes of a table; this set has none.');
  const { store } = await runsResource(backend);
  const members: CommitteeModel[] = [];
  for (const run of runs) {
    const record = await store.getRun(asId<RunId>(run)).catch(() => {
      throw new UserInputError(`No tracked run ${run}.`);
    });
    members.push({ run, onnx: new Uint8Array(await store.readArtifact(record.id, defaultModelArtifact(record))) });
  }
  const predictions = await withEngine(backend, (engine) => committeePredictions(engine, t.docs.relation!, t.meta.textColumn, t.classNames, members, score, signal));
  t.setRunCommittee(runs, predictions);
  const n = predictions[0]?.length ?? 0;
  let unanimous = 0;
  for (let i = 0; i < n; i++) if (predictions.every((p) => p[i] === predictions[0]![i])) unanimous++;
  return n === 0 ? 1 : unanimous / n;
}

/** The set's current content id, saved first (with `note`) unless it is already the last saved version. */
async function currentSavedVersion(store: TextLabelStore, note: string): Promise<string> {
  const last = (await store.versions()).at(-1);
  return last?.version === store.version ? last.version : (await store.saveVersion(note)).version;
}

/** Text label sets, active learning and labeling functions: the methods of `methods/text-labels.ts`. */
export function textLabelsHandlers(backend: Backend): DomainHandlers<typeof textLabelsMethods> {
  const sets = () => backend.resource('textLabels', async (workspace) => new TextSets(workspace, backend));
  const session = async (name: string) => (await sets()).get(name);
  const score = createOnnxScorer();
  return {
    'textLabels.create': async (p) => {
      const s = await sets();
      const meta: TextSetMeta = {
        format: 1,
        kind: 'text',
        id: randomUUID(),
        name: p.name,
        source: p.source,
        textColumn: p.textColumn,
        ...(p.idColumn ? { idColumn: p.idColumn } : {}),
        ...(p.goldColumn ? { goldColumn: p.goldColumn } : {}),
        classes: p.classes,
        docMode: p.docMode ?? (p.classes.length > 0 ? 'single' : 'none'),
        spanClasses: p.spanClasses ?? [],
        tokenSnap: p.tokenSnap ?? true,
        allowOverlap: p.allowOverlap ?? false,
        ...(p.lfsFile ? { lfsFile: p.lfsFile } : {}),
        retrainEvery: p.retrainEvery ?? 5,
        model: p.model ?? 'logistic',
      };
      if (meta.classes.length === 0 && meta.spanClasses.length === 0) throw new UserInputError('Give document classes, span classes or both.');
      const store = await TextLabelStore.create(s.dir(meta.name), meta);
      await s.get(meta.name, store);
      return { meta };
    },
    'textLabels.list': async () => {
      const s = await sets();
      const items = [];
      for (const name of await s.names()) {
        const store = await TextLabelStore.open(s.dir(name)).catch(() => undefined);
        if (store) items.push({ name, source: store.meta.source, labels: Object.keys(store.state.labels).length, seq: store.state.seq });
      }
      return { items };
    },
    'textLabels.open': async ({ name }) => {
      const t = await session(name);
      const labels: TextLabel[] = [];
      for (const l of Object.values(t.store.state.labels)) {
        if (l.kind === 'doc') labels.push({ ...l, labels: [...l.labels] });
        else if (l.kind === 'span') labels.push(l);
      }
      return { meta: t.meta, seq: t.store.state.seq, rows: t.docs.texts.length, labels, model: t.modelInfo() };
    },
    'textLabels.docs': async ({ name, rows }) => ({ docs: (await session(name)).documents(rows) }),
    'textLabels.apply': async ({ name, ops, baseSeq }) => {
      const t = await session(name);
      for (const op of ops) if (op.op !== 'delete' && !t.hasDoc(op.label.doc)) throw new UserInputError(`No document "${op.label.doc}" in "${name}".`);
      const seq = await t.store.apply(ops satisfies readonly LabelOp[], baseSeq);
      const added = ops.filter((op) => op.op === 'add' && op.label.kind === 'doc').length;
      const retraining = t.modelInfo() !== null && t.noteApplied(added);
      return { seq, retraining };
    },
    'textLabels.queue': async ({ name, strategy, limit }, { signal }) => {
      const t = await session(name);
      const runs = t.meta.committeeRuns ?? [];
      if (strategy === 'voteEntropy' && runs.length > 0 && t.committeeRuns.join() !== runs.join()) await loadCommittee(backend, t, runs, score, signal);
      return { entries: t.queue(strategy, limit), trainedOn: t.trainedOn, strategy, ...(strategy === 'voteEntropy' ? { committee: runs.length > 0 ? ('runs' as const) : ('models' as const) } : {}) };
    },
    'textLabels.setCommittee': async ({ name, runs }, { signal }) => {
      const t = await session(name);
      if (runs.length === 1) throw new UserInputError('A committee needs at least two runs.');
      const { committeeRuns: _previous, ...rest } = t.meta;
      if (runs.length === 0) {
        t.setRunCommittee([], []);
        await t.store.updateMeta(rest);
        return { runs: [], rows: t.docs.texts.length, unanimous: 1 };
      }
      const unanimous = await loadCommittee(backend, t, runs, score, signal);
      await t.store.updateMeta({ ...rest, committeeRuns: [...runs] });
      return { runs: [...runs], rows: t.docs.texts.length, unanimous };
    },
    'textLabels.retrain': async ({ name }) => {
      const t = await session(name);
      if (!t.modelInfo()) throw new UserInputError(`"${name}" has no document classes to learn.`);
      return t.retrain();
    },
    'textLabels.lfs': async ({ name }) => {
      const t = await session(name);
      const file = await t.readLfs();
      return { path: t.lfsPath(), classes: file.classes, text: file.text, lfs: file.lfs };
    },
    'textLabels.saveLfs': async ({ name, lfs }) => {
      const t = await session(name);
      if (isConll(t.meta)) throw new UserInputError('Labeling functions run over tables; this set reads a CoNLL file.');
      return { path: await t.writeLfs(lfs) };
    },
    'textLabels.analyze': async ({ name }, { signal }) => {
      const t = await session(name);
      throwIfAborted(signal);
      return (await withEngine(backend, (engine) => t.analyze(engine))).result;
    },
    'textLabels.saveVersion': async ({ name, note }) => (await session(name)).store.saveVersion(note),
    'textLabels.versions': async ({ name }) => {
      const { store } = await session(name);
      return { current: store.version, items: await store.versions() };
    },
    'textLabels.agreement': async ({ a, b }) => {
      const [ta, tb] = [await session(a), await session(b)];
      const { workspace } = await sets();
      if (!(await sameDocuments(ta.meta, tb.meta, (p) => workspace.resolve(p)))) throw new UserInputError(`"${a}" and "${b}" label different documents; agreement needs the same ones.`);
      return textAgreement(labelList(ta.store.state), labelList(tb.store.state));
    },
    'textLabels.labelModel': async ({ name, table }) => {
      const t = await session(name);
      return withEngine(backend, async (engine) => {
        const first = await t.analyze(engine);
        const combined = t.fitLabelModel(first.L);
        const { result: analysis } = await t.analyze(engine);
        const target = table ?? `${name.replace(/[^A-Za-z0-9_]/g, '_')}_lf_labels`;
        await engine.exec(trainingTableSql(target, t.docs.relation!, t.classNames, combined));
        const version = await currentSavedVersion(t.store, `label model table ${target}`);
        await markTableLabelSet(engine, target, name, version);
        backend.events.emit('data.catalogChanged', { names: [target] });
        const gold = t.docs.gold ? goldCodes(t.classNames, t.docs.gold) : undefined;
        // Accuracy on the rows the table keeps (with a gold value): how good the written labels are.
        const acc = (pred: Int32Array) => {
          if (!gold) return undefined;
          let right = 0;
          let total = 0;
          for (const i of combined.kept) {
            if (gold[i]! < 0) continue;
            total++;
            if (pred[i] === gold[i]) right++;
          }
          return total === 0 ? undefined : right / total;
        };
        const mv = acc(combined.majority);
        const lm = acc(combined.preds);
        return { table: target, rows: first.L.n, kept: combined.kept.length, labelSetVersion: version, ...(mv !== undefined ? { majorityAccuracy: mv } : {}), ...(lm !== undefined ? { labelModelAccuracy: lm } : {}), analysis };
      });
    },
  };
}

import { randomUUID } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { assertNever } from '../../../app/base/assert';
import { UserInputError } from '../../../app/base/errors';
import type { Engine } from '../../../app/data/engine';
import { tableToIpc } from '../../../app/data/ipc';
import { perSampleKappa, rangeSetIoU } from '../../../app/labels/agreement';
import { timeExpression } from '../../../app/labels/downsample';
import type { LabelOp } from '../../../app/labels/ops';
import type { LabelClass, LabelSetMeta, SeriesSource, labelsMethods } from '../../../app/protocol/methods/labels';
import type { DomainHandlers } from '../../../app/protocol/spec';
import type { Backend, WorkspaceResource } from '../backend';
import { asRanges, exportText, importOps, reviewProgress, seriesLabels, seriesSuggestions } from '../labels/label-io';
import { LabelStore } from '../labels/label-store';
import { isolationForestSuggestions, onnxSuggestions } from '../labels/model-suggest';
import { listScoreModels, loadScoreModel, scorer } from '../labels/score-models';
import { PyramidCache } from '../labels/pyramid-cache';
import type { SeriesPyramid } from '../labels/series-pyramid';
import { detectColumns, perSampleTableSql, relationOf, resolveSeries, seriesExtent, zscoreSuggestions, type ResolvedSeries } from '../labels/series-sql';
import type { Workspace } from '../workspace/workspace';
import { workspaceDatabase } from './data-service';

/** Classes a new set starts with; the user renames or adds in labelset.json. */
export const DEFAULT_CLASSES: LabelClass[] = [
  { name: 'anomaly', color: '#e5534b', key: 1 },
  { name: 'maintenance', color: '#3b82f6', key: 2 },
  { name: 'event', color: '#d4a72c', key: 3 },
];

/** The open label sets of a workspace, each opened (replayed) once and kept. */
class LabelSets implements WorkspaceResource {
  private readonly stores = new Map<string, Promise<LabelStore>>();
  private readonly series = new Map<string, Promise<ResolvedSeries>>();
  private pyramids: Promise<{ engine: Engine; cache: PyramidCache }> | undefined;

  constructor(readonly workspace: Workspace, private readonly backend: Backend) {}

  /**
   * The pyramid of a series, on a connection kept for it (its levels are temporary tables of that
   * connection); windows of long series are read from it. It is rebuilt when the rows change
   * (a file's size/mtime, checked at most once a second; a table's row count + hash sum, at most every 5 s in the background).
   */
  async pyramid(source: SeriesSource): Promise<{ engine: Engine; pyramid: SeriesPyramid }> {
    this.pyramids ??= workspaceDatabase(this.backend).then(async ({ db }) => {
      const engine = await db.connect();
      return { engine, cache: new PyramidCache(engine, { scan: (work) => withEngine(this.backend, work) }) };
    });
    const { engine, cache } = await this.pyramids;
    const series = await this.resolve(engine, source);
    const file = source.file !== undefined ? this.workspace.resolve(source.file) : undefined;
    return { engine, pyramid: await cache.get(JSON.stringify(source), series, file) };
  }

  dir(name: string): string {
    return this.workspace.resolve(`labels/${name}`);
  }

  get(name: string): Promise<LabelStore> {
    let store = this.stores.get(name);
    if (!store) {
      store = LabelStore.open(this.dir(name));
      store.catch(() => this.stores.delete(name));
      this.stores.set(name, store);
    }
    return store;
  }

  async create(meta: LabelSetMeta): Promise<LabelStore> {
    const store = LabelStore.create(this.dir(meta.name), meta);
    this.stores.set(meta.name, store);
    store.catch(() => this.stores.delete(meta.name));
    return store;
  }

  /** A series checked once per source (DESCRIBE of a CSV costs a sniff). */
  resolve(engine: Engine, source: SeriesSource): Promise<ResolvedSeries> {
    const key = JSON.stringify(source);
    let entry = this.series.get(key);
    if (!entry) {
      entry = resolveSeries(engine, source, (p) => this.workspace.resolve(p));
      entry.catch(() => this.series.delete(key));
      this.series.set(key, entry);
    }
    return entry;
  }

  async names(): Promise<string[]> {
    const root = this.workspace.resolve('labels');
    const children = await readdir(root, { withFileTypes: true }).catch(() => []);
    const names: string[] = [];
    for (const c of children) {
      if (c.isDirectory() && (await stat(join(root, c.name, 'labelset.json')).then(() => true, () => false))) names.push(c.name);
    }
    return names.sort();
  }

  async close(): Promise<void> {
    for (const store of this.stores.values()) await store.then((s) => s.close(), () => undefined);
    await this.pyramids?.then(({ engine }) => engine.close(), () => undefined);
  }
}

function labelSets(backend: Backend): Promise<LabelSets> {
  return backend.resource('labels', async (workspace) => new LabelSets(workspace, backend));
}

/** Runs `work` on a fresh connection of the workspace database, so a slow query never blocks a redraw. */
async function withEngine<T>(backend: Backend, work: (engine: Engine) => Promise<T>): Promise<T> {
  const { db } = await workspaceDatabase(backend);
  const engine = await db.connect();
  try {
    return await work(engine);
  } finally {
    await engine.close();
  }
}

async function applyAll(backend: Backend, store: LabelStore, ops: readonly LabelOp[]): Promise<number> {
  for (const op of ops) await store.apply(op);
  backend.events.emit('labels.changed', { name: store.meta.name, seq: store.state.seq });
  return store.state.seq;
}

/** Label sets and series windows: the methods of `methods/labels.ts`. */
export function labelsHandlers(backend: Backend): DomainHandlers<typeof labelsMethods> {
  const sets = () => labelSets(backend);
  const opened = async (name: string) => {
    const s = await sets();
    const store = await s.get(name);
    return { sets: s, store };
  };
  return {
    'labels.list': async () => {
      const s = await sets();
      const items = [];
      for (const name of await s.names()) {
        const store = await s.get(name).catch(() => undefined);
        if (!store) continue;
        const st = store.state;
        items.push({ name, path: `labels/${name}`, series: store.meta.series, labels: seriesLabels(st).length, suggestions: Object.keys(st.suggestions).length, seq: st.seq });
      }
      return { items };
    },
    'labels.create': async ({ name, source, file, classes }) => {
      const s = await sets();
      const target: SeriesSource | undefined = source ?? (file !== undefined ? await withEngine(backend, async (engine) => ({ file, ...(await detectColumns(engine, relationOf({ file, timeColumn: 't', valueColumns: ['v'] }, (p) => s.workspace.resolve(p)))) })) : undefined);
      if (!target) throw new UserInputError('Give the series: a source, or a data file.');
      await withEngine(backend, (engine) => s.resolve(engine, target));
      const meta: LabelSetMeta = { format: 1, id: randomUUID(), name, classes: classes ?? DEFAULT_CLASSES, target, series: target.file ?? target.table! };
      await s.create(meta);
      return { path: `labels/${name}`, meta };
    },
    'labels.open': async ({ name }) => {
      const { sets: s, store } = await opened(name);
      const { series, extent } = await withEngine(backend, async (engine) => {
        const resolved = await s.resolve(engine, store.meta.target);
        return { series: resolved, extent: await seriesExtent(engine, resolved) };
      });
      const st = store.state;
      return {
        meta: store.meta,
        seq: st.seq,
        labels: seriesLabels(st),
        suggestions: seriesSuggestions(st),
        reviewed: [...store.reviewed],
        progress: reviewProgress(st, store.reviewed, extent),
        extent: { ...extent, timeKind: series.timeKind },
      };
    },
    'labels.apply': async ({ name, op, baseSeq }) => {
      const { store } = await opened(name);
      const result = await store.apply(op, baseSeq);
      if (!result.duplicate) backend.events.emit('labels.changed', { name, seq: result.seq });
      return result;
    },
    'labels.query': async ({ name, from, to }) => {
      const { store } = await opened(name);
      const overlaps = (l: { kind: string; start?: number; end?: number; at?: number }) => (l.kind === 'point' ? l.at! >= from && l.at! <= to : l.end! >= from && l.start! <= to);
      return { labels: seriesLabels(store.state).filter(overlaps), suggestions: seriesSuggestions(store.state).filter((sg) => overlaps(sg.proposal)) };
    },
    'labels.suggest': async (params, { signal, progress }) => {
      const { name, channel, window, threshold, maxGap, label, detector, quantile, model } = params;
      const { sets: s, store } = await opened(name);
      const column = store.meta.target.valueColumns[channel];
      if (column === undefined) throw new UserInputError(`The series has no channel ${channel}.`);
      const common = { series: store.meta.series, channel: column, window, maxGap, label: label ?? store.meta.classes[0]!.name };
      const found = await withEngine(backend, async (engine) => {
        const series = await s.resolve(engine, store.meta.target);
        switch (detector) {
          case 'zscore':
            return zscoreSuggestions(engine, series, { ...common, threshold, sourceName: 'rolling-zscore' }, signal);
          case 'isolationForest':
            return isolationForestSuggestions(engine, series, scorer(), { ...common, quantile, ...(signal ? { signal } : {}), progress });
          case 'model': {
            if (model === undefined) throw new UserInputError('Pick the model whose score proposes the ranges (a run or an .onnx file).');
            const loaded = await loadScoreModel(backend, s.workspace, model);
            return onnxSuggestions(engine, series, loaded, scorer(), { ...common, quantile, ...(signal ? { signal } : {}), progress });
          }
          default:
            return assertNever(detector);
        }
      });
      const st = store.state;
      const fresh = found.filter((sg) => !st.labels[sg.id] && !st.suggestions[sg.id] && !st.rejected.includes(sg.id));
      const seq = fresh.length > 0 ? await applyAll(backend, store, [{ op: 'suggest', suggestions: fresh }]) : st.seq;
      return { seq, added: fresh.length, found: found.length, source: found[0]?.source.name ?? detector };
    },
    'labels.scoreModels': async () => ({ items: await listScoreModels(backend, (await sets()).workspace) }),
    'labels.markReviewed': async ({ name, from, to }) => {
      const { sets: s, store } = await opened(name);
      await store.markReviewed({ series: store.meta.series, start: Math.min(from, to), end: Math.max(from, to) });
      const extent = await withEngine(backend, async (engine) => seriesExtent(engine, await s.resolve(engine, store.meta.target)));
      return reviewProgress(store.state, store.reviewed, extent);
    },
    'labels.saveVersion': async ({ name, note }) => (await opened(name)).store.saveVersion(note),
    'labels.versions': async ({ name }) => ({ items: await (await opened(name)).store.versions() }),
    'labels.export': async ({ name, format, table }) => {
      const { sets: s, store } = await opened(name);
      if (format !== 'table') return { text: exportText(store.state, store.meta, format), rows: seriesLabels(store.state).length };
      const target = table ?? `labels_${name.replace(/[^A-Za-z0-9_]/g, '_')}`;
      const rows = await withEngine(backend, async (engine) => {
        const series = await s.resolve(engine, store.meta.target);
        await engine.exec(perSampleTableSql(series, asRanges(store.state), target));
        return Number((await engine.query(`SELECT count(*)::DOUBLE AS n FROM "${target.replaceAll('"', '""')}"`)).get(0)?.toJSON()['n'] ?? 0);
      });
      backend.events.emit('data.catalogChanged', { names: [target] });
      return { table: target, rows };
    },
    'labels.import': async ({ name, format, text, key }) => {
      const { store } = await opened(name);
      const ops = importOps(store.state, store.meta, format, text, key);
      const seq = await applyAll(backend, store, ops);
      return { seq, added: ops.reduce((n, op) => n + (op.op === 'suggest' ? op.suggestions.length : 1), 0) };
    },
    'labels.agreement': async ({ a, b }) => {
      const s = await sets();
      const [sa, sb] = await Promise.all([s.get(a), s.get(b)]);
      const ra = asRanges(sa.state);
      const rb = asRanges(sb.state);
      const x = await withEngine(backend, async (engine) => {
        const series = await s.resolve(engine, sa.meta.target);
        const t = await engine.query(`SELECT ${timeExpression(series.timeColumn, series.timeKind)} AS x FROM ${series.relation} ORDER BY 1`);
        return Float64Array.from(t.getChild('x')!.toArray() as ArrayLike<number>, Number);
      });
      return { iou: rangeSetIoU(ra, rb), kappa: perSampleKappa(x, ra, rb), samples: x.length };
    },
    'series.window': async ({ source, from, to, pixels }, { signal }) => {
      const { engine, pyramid } = await (await sets()).pyramid(source);
      const table = await pyramid.window(engine, from, to, pixels, signal);
      return { bytes: tableToIpc(table), from, to, rows: table.numRows };
    },
  };
}

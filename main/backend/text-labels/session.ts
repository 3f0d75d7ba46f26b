import { UserInputError } from '../../../app/base/errors';
import type { Engine } from '../../../app/data/engine';
import { voteEntropy } from '../../../app/labels/active';
import { lfAnalysis, type LabelMatrix } from '../../../app/labels/lf';
import type { DocLabel } from '../../../app/labels/model';
import { goldCodes, parseLfFile, serializeLfFile, type LfFile } from '../../../app/labels/text/lf-file';
import { combineVotes, type CombinedLabels } from '../../../app/labels/text/programmatic';
import { committeeScores, orderQueue, uncertaintyScores, type CurvePoint, type QueueStrategy, type RetrainResult } from '../../../app/labels/text/queue';
import type { LfAnalysisResult, ModelInfo, TextDoc, TextSetMeta } from '../../../app/protocol/methods/text-labels';
import type { Workspace } from '../workspace/workspace';
import type { Documents } from './documents';
import { runLfFile } from './lf-runner';
import type { Retrainer } from './retrainer';
import type { TextLabelStore } from './text-label-store';

interface ModelState {
  trainedOn: number;
  seq: number;
  curve: CurvePoint[];
  result?: RetrainResult;
  training: boolean;
  error?: string;
}

/**
 * One open text label set: its store, its documents, the active-learning model and the last LF
 * run. Everything the service's handlers need, kept per set for the workspace's lifetime.
 */
export class TextSession {
  private readonly rowOf: Map<string, number>;
  private model: ModelState = { trainedOn: 0, seq: 0, curve: [], training: false };
  private sinceTrain = 0;
  private pending: Promise<ModelInfo> | undefined;
  private lfLabels: CombinedLabels | undefined;
  private runVotes: { runs: readonly string[]; predictions: readonly Int32Array[] } | undefined;

  constructor(
    readonly store: TextLabelStore,
    readonly docs: Documents,
    private readonly workspace: Workspace,
    private readonly retrainer: Retrainer,
    private readonly onModel: (info: ModelInfo) => void,
  ) {
    this.rowOf = new Map(docs.ids.map((id, row) => [id, row]));
  }

  get meta(): TextSetMeta {
    return this.store.meta;
  }

  get classNames(): string[] {
    return this.meta.classes.map((c) => c.name);
  }

  modelInfo(): ModelInfo | null {
    if (this.meta.docMode === 'none' || this.meta.classes.length < 2) return null;
    const m = this.model;
    return { trainedOn: m.trainedOn, seq: m.seq, curve: m.curve, training: m.training, ...(m.error ? { error: m.error } : {}) };
  }

  /** Human document classes per row (first class of a doc label; −1 = unlabelled). */
  labelVector(): Int32Array {
    const y = new Int32Array(this.docs.texts.length).fill(-1);
    for (const l of Object.values(this.store.state.labels)) {
      if (l.kind !== 'doc' || l.labels.length === 0) continue;
      const row = this.rowOf.get(l.doc);
      const c = this.classNames.indexOf(l.labels[0]!);
      if (row !== undefined && c >= 0) y[row] = c;
    }
    return y;
  }

  /** The documents at `rows`, with model and LF pre-annotations. */
  documents(rows: readonly number[]): TextDoc[] {
    const k = this.classNames.length;
    const gold = this.docs.gold;
    return rows.filter((r) => r < this.docs.texts.length).map((row) => {
      const predictions: TextDoc['predictions'] = [];
      const P = this.model.result?.proba;
      if (P && k > 1) predictions.push(best(P, row, k, this.classNames, 'model'));
      if (this.lfLabels && this.lfLabels.kept.includes(row)) predictions.push(best(this.lfLabels.proba, row, k, this.classNames, 'lf'));
      const g = gold ? goldCodes(this.classNames, [gold[row]])[0]! : -1;
      return { row, doc: this.docs.ids[row]!, text: this.docs.texts[row]!, ...(g >= 0 ? { gold: this.classNames[g]! } : {}), predictions, ...(this.docs.fileSpans ? { fileSpans: this.docs.fileSpans[row] } : {}) };
    });
  }

  /** Counts new document labels and starts a background retrain every `retrainEvery` of them. */
  noteApplied(docLabelsAdded: number): boolean {
    this.sinceTrain += docLabelsAdded;
    if (this.sinceTrain < this.meta.retrainEvery || this.model.training) return false;
    void this.retrain().catch(() => undefined);
    return true;
  }

  /** Retrains now in the worker thread (a retrain already running is awaited instead). */
  retrain(): Promise<ModelInfo> {
    if (this.pending) return this.pending;
    const y = this.labelVector();
    const seq = this.store.state.seq;
    const k = this.classNames.length;
    this.sinceTrain = 0;
    this.model = { ...this.model, training: true };
    const gold = this.docs.gold ? goldCodes(this.classNames, this.docs.gold) : undefined;
    const run = this.retrainer
      .run({ texts: this.docs.texts, y, k, options: { model: this.meta.model }, ...(gold ? { gold } : {}) })
      .then(
        (result) => {
          const curve = result.point ? [...this.model.curve.filter((p) => p.labels !== result.point!.labels), result.point] : this.model.curve;
          this.model = { trainedOn: result.trainedOn, seq, curve, result, training: false };
        },
        (error: unknown) => {
          this.model = { ...this.model, training: false, error: error instanceof Error ? error.message : String(error) };
        },
      )
      .then(() => {
        this.pending = undefined;
        const info = this.modelInfo()!;
        this.onModel(info);
        return info;
      });
    this.pending = run;
    return run;
  }

  /** Uses the hard predictions of tracked runs (one Int32Array of class indices per run) as the vote-entropy committee; none clears it. */
  setRunCommittee(runs: readonly string[], predictions: readonly Int32Array[]): void {
    this.runVotes = runs.length === 0 ? undefined : { runs, predictions };
  }

  /** The runs whose votes the queue uses (empty when the set's own model committee votes). */
  get committeeRuns(): readonly string[] {
    return this.runVotes?.runs ?? [];
  }

  /**
   * Unlabelled rows by uncertainty; before any model, in row order. `voteEntropy` uses the
   * tracked-run committee when one is set (it needs no retrain), else the retrained models.
   */
  queue(strategy: QueueStrategy, limit: number): Array<{ row: number; score: number }> {
    const y = this.labelVector();
    const candidates: number[] = [];
    for (let i = 0; i < y.length; i++) if (y[i]! < 0) candidates.push(i);
    if (strategy === 'voteEntropy' && this.runVotes) return orderQueue(voteEntropy(this.runVotes.predictions, this.classNames.length), candidates, limit);
    const result = this.model.result;
    if (!result) return candidates.slice(0, limit).map((row) => ({ row, score: 0 }));
    const k = this.classNames.length;
    const scores = strategy === 'voteEntropy' ? committeeScores(result.committee, k) : uncertaintyScores(result.proba, k, strategy);
    return orderQueue(scores, candidates, limit);
  }

  get trainedOn(): number {
    return this.model.trainedOn;
  }

  lfsPath(): string {
    return this.meta.lfsFile ?? `${this.meta.name}.lfs.json`;
  }

  /** The set's LFs file, or an empty one over its classes and text column. */
  async readLfs(): Promise<LfFile> {
    const text = await this.workspace.readText(this.lfsPath()).then((r) => r.text, () => undefined);
    if (text === undefined) return { format: 1, classes: this.classNames, text: this.meta.textColumn, lfs: [] };
    const file = parseLfFile(text);
    if (file.classes.join('\u0000') !== this.classNames.join('\u0000')) throw new UserInputError(`The classes of ${this.lfsPath()} (${file.classes.join(', ')}) differ from the set's (${this.classNames.join(', ')}).`);
    return file;
  }

  async writeLfs(lfs: LfFile['lfs']): Promise<string> {
    const current = await this.readLfs();
    const next = parseLfFile(serializeLfFile({ ...current, lfs }));
    await this.workspace.writeText(this.lfsPath(), serializeLfFile(next));
    return this.lfsPath();
  }

  /** Runs the LFs over the whole table and returns the analysis (with gold when the set has a gold column). */
  async analyze(engine: Engine): Promise<{ result: LfAnalysisResult; L: LabelMatrix; file: LfFile }> {
    if (this.docs.relation === null) throw new UserInputError('Labeling functions run over tables; this set reads a CoNLL file.');
    const file = await this.readLfs();
    const t0 = performance.now();
    const run = await runLfFile(engine, file, this.docs.relation, this.meta.goldColumn ? { gold: this.meta.goldColumn } : {});
    const goldRows = run.gold && run.gold.some((g) => g >= 0) ? run.gold : undefined;
    const a = lfAnalysis(run.L, goldRows);
    const learned = this.lfLabels?.model.m === run.L.m ? this.lfLabels.model.accuracies : undefined;
    const result: LfAnalysisResult = {
      rows: run.L.n,
      lfs: file.lfs.map((lf, j) => ({
        name: lf.name,
        kind: lf.kind,
        polarity: a.polarity[j]!.map((c) => file.classes[c] ?? String(c)),
        coverage: a.coverage[j]!,
        overlaps: a.overlaps[j]!,
        conflicts: a.conflicts[j]!,
        ...(a.correct ? { correct: a.correct[j]!, incorrect: a.incorrect![j]!, empiricalAccuracy: a.empiricalAccuracy![j]! } : {}),
        ...(learned ? { learnedAccuracy: learned[j]! } : {}),
      })),
      labelCoverage: a.labelCoverage,
      labelOverlap: a.labelOverlap,
      labelConflict: a.labelConflict,
      conflictMatrix: [...a.conflictMatrix],
      ms: performance.now() - t0,
    };
    return { result, L: run.L, file };
  }

  /** Fits the label model on the votes; its labels become the LF pre-annotations. */
  fitLabelModel(L: LabelMatrix): CombinedLabels {
    this.lfLabels = combineVotes(L, this.classNames.length);
    return this.lfLabels;
  }

  /** Whether `doc` names a document of this set. */
  hasDoc(doc: string): boolean {
    return this.rowOf.has(doc);
  }
}

function best(P: Float64Array, row: number, k: number, names: readonly string[], source: 'model' | 'lf') {
  let c = 0;
  for (let j = 1; j < k; j++) if (P[row * k + j]! > P[row * k + c]!) c = j;
  return { source, label: names[c]!, p: P[row * k + c]! };
}

/** New document labels among ops-to-be (for the retrain counter). */
export function countNewDocLabels(labels: ReadonlyArray<DocLabel | { kind: string }>): number {
  return labels.filter((l) => l.kind === 'doc').length;
}

/**
 * The exact walk over the merged ECDFs of two samples, fed with bucket summaries in value order
 * (see ecdf-distance.ts for the SQL that produces them). It settles what bucket sums decide and
 * hands back the buckets ("cells") that need a finer look.
 *
 * With D = F₁ − F₂ and C₁, C₂ the counts before a bucket holding c₁, c₂ values, every D inside
 * the bucket lies in [low, high] = [D(C₁, C₂ + c₂), D(C₁ + c₁, C₂)]. So:
 * - KS: the bucket can only beat the best known |D| when max(|low|, |high|) exceeds it;
 * - Wasserstein: over [mn, next) (its first value to the next bucket's first value)
 *   ∫ D dx = D₀·(next − mn) + (c₁·(next − e) − Σ₁(x − e))/n₁ − (c₂·(next − e) − Σ₂(x − e))/n₂
 *   for any edge e, and ∫ |D| = |∫ D| unless the bucket straddles 0 (low < 0 < high);
 * - a reference quantile (the value of 0-based rank r) lies in the bucket iff C₂ ≤ r < C₂ + c₂.
 * A bucket holding one distinct value is always decided. D is computed from integer counts as
 * c₁/n₁ − c₂/n₂, exactly as scipy does, so the KS statistic is bit-identical to ks_2samp's.
 */

/** A summarised bucket: per-sample counts, Σ(x − edge), the bucket's value range and its key. */
export interface Bucket { key: number; c1: number; c2: number; d1: number; d2: number; mn: number; mx: number; edge: number }

/**
 * A value range still to resolve (the closed [lo, hi] of its rows' values, which holds exactly
 * its rows), with the walk's state at its start: counts before it and where its integral starts
 * and ends. `key` locates its rows (see ecdf-distance.ts).
 */
export interface Cell {
  id: number; key: number; depth: number; rows: number; lo: number; hi: number; before1: number; before2: number; start: number; next: number;
}

/** A reference quantile: its value and the counts of each sample at or below it. */
export interface QuantileHit { value: number; upTo1: number; upTo2: number }

/** Distinct values of read cells, sorted by value (cells are disjoint ranges, so contiguous). */
export interface ReadRows { id: Float64Array; x: Float64Array; a: Float64Array; b: Float64Array }

/** How the walk decides between refining a cell and reading its values. */
export interface WalkLimits { fetchRows: number; maxDepth: number }

/**
 * The 0-based rank DuckDB's `quantile_disc(x, p)` picks among n sorted values when p is written
 * as the decimal literal `p` (DuckDB reads it as DECIMAL, exactly): max(1, ⌈n·p⌉) − 1.
 */
export function discreteQuantileRank(n: number, p: string): number {
  const m = /^(\d*)\.?(\d*)$/.exec(p);
  if (!m) return Math.max(1, Math.ceil(n * Number(p))) - 1;
  const scale = 10n ** BigInt(m[2]!.length);
  const num = BigInt(n) * BigInt(`${m[1] || '0'}${m[2]}`);
  const ceil = (num + scale - 1n) / scale;
  return Math.max(1, Number(ceil)) - 1;
}

/** Accumulates KS, Wasserstein and quantile hits over buckets and read values. */
export class EcdfWalk {
  ks = 0;
  wasserstein = 0;
  readonly hits: (QuantileHit | undefined)[];
  private nextId = 0;

  /**
   * `ranks` ascending 0-based reference ranks to locate; `distances` false skips KS/Wasserstein
   * (identical inputs); `lowerBound` a |D| known to be reached.
   */
  constructor(private readonly n1: number, private readonly n2: number, private readonly lowerBound: number,
    private readonly ranks: readonly number[], private readonly distances: boolean) {
    this.hits = ranks.map(() => undefined);
  }

  private d(c1: number, c2: number): number {
    return (this.n1 > 0 ? c1 / this.n1 : 0) - (this.n2 > 0 ? c2 / this.n2 : 0);
  }

  /** Index of the first rank ≥ from. */
  private firstRank(from: number): number {
    let lo = 0, hi = this.ranks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.ranks[mid]! < from) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private holdsRank(from2: number, to2: number): boolean {
    const i = this.firstRank(from2);
    return i < this.ranks.length && this.ranks[i]! < to2;
  }

  private hit(from2: number, to2: number, value: number, upTo1: number, upTo2: number): void {
    for (let i = this.firstRank(from2); i < this.ranks.length && this.ranks[i]! < to2; i++) this.hits[i] = { value, upTo1, upTo2 };
  }

  /**
   * Walks the sorted buckets of one cell from its start state: adds what the sums decide and
   * returns the cells to refine and to read.
   */
  walk(buckets: readonly Bucket[], ctx: Pick<Cell, 'before1' | 'before2' | 'start' | 'next'>, depth: number, limits: WalkLimits): { refine: Cell[]; read: Cell[] } {
    const refine: Cell[] = [], read: Cell[] = [];
    let C1 = ctx.before1, C2 = ctx.before2;
    for (let j = 0; j < buckets.length; j++) {
      const b = buckets[j]!;
      const from = j === 0 ? ctx.start : b.mn;
      const next = j + 1 < buckets.length ? buckets[j + 1]!.mn : ctx.next;
      const low = this.d(C1, C2 + b.c2), high = this.d(C1 + b.c1, C2);
      const open = this.distances && (Math.max(Math.abs(low), Math.abs(high)) > this.lowerBound || (low < 0 && high > 0));
      const holds = this.holdsRank(C2, C2 + b.c2);
      if (b.mn === b.mx || !(open || holds)) {
        if (this.distances) {
          this.ks = Math.max(this.ks, Math.abs(this.d(C1 + b.c1, C2 + b.c2)));
          const integral = this.d(C1, C2) * (next - from) + (this.n1 > 0 ? (b.c1 * (next - b.edge) - b.d1) / this.n1 : 0) -
            (this.n2 > 0 ? (b.c2 * (next - b.edge) - b.d2) / this.n2 : 0);
          this.wasserstein += Math.abs(integral);
        }
        if (holds) this.hit(C2, C2 + b.c2, b.mn, C1 + b.c1, C2 + b.c2);
      } else {
        const cell: Cell = { id: this.nextId++, key: b.key, depth, rows: b.c1 + b.c2, lo: b.mn, hi: b.mx, before1: C1, before2: C2, start: from, next };
        (cell.rows <= limits.fetchRows || depth >= limits.maxDepth ? read : refine).push(cell);
      }
      C1 += b.c1;
      C2 += b.c2;
    }
    return { refine, read };
  }

  /** Adds the exact contribution of read cells from their distinct values. */
  settle(cells: readonly Cell[], rows: ReadRows): void {
    const byId = new Map(cells.map((c) => [c.id, { ...c }]));
    const { id, x, a, b } = rows;
    for (let i = 0; i < x.length; i++) {
      const c = byId.get(id[i]!)!;
      const first = i === 0 || id[i - 1] !== id[i];
      const last = i + 1 === x.length || id[i + 1] !== id[i];
      if (first && this.distances) this.wasserstein += Math.abs(this.d(c.before1, c.before2)) * (x[i]! - c.start);
      const before2 = c.before2;
      c.before1 += a[i]!;
      c.before2 += b[i]!;
      if (this.distances) {
        const dv = this.d(c.before1, c.before2);
        this.ks = Math.max(this.ks, Math.abs(dv));
        this.wasserstein += Math.abs(dv) * ((last ? c.next : x[i + 1]!) - x[i]!);
      }
      this.hit(before2, c.before2, x[i]!, c.before1, c.before2);
    }
  }
}

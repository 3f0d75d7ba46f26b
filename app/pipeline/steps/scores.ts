import { UserInputError } from '../../base/errors';
import { distinctSorted, quantile } from './stats';
import type { Column, StepTarget } from './types';

type NumberColumn = Extract<Column, { type: 'number' }>;

/**
 * Univariate scores of each number column against the target, higher = more useful.
 * anova: F statistic (classes for a text target, F-regression for a number target);
 * chi2: χ² of non-negative features against classes (scikit-learn's `chi2`);
 * mutual_info: plug-in estimate after splitting the feature into 10 quantile bins (not
 * scikit-learn's k-NN estimator; used only to rank). Missing feature values are skipped.
 */
export function featureScores(score: 'anova' | 'mutual_info' | 'chi2', columns: readonly NumberColumn[], target: StepTarget): number[] {
  const classes = target.type === 'string' ? target.values : null;
  switch (score) {
    case 'anova': return columns.map((c) => (classes ? anovaF(c.values, classes) : fRegression(c.values, target.values)));
    case 'chi2': {
      if (!classes) throw new UserInputError('The chi² score needs a class target (text labels).');
      return columns.map((c) => chi2(c.values, classes));
    }
    case 'mutual_info': return columns.map((c) => mutualInfo(c.values, classes ?? binLabels(Float64Array.from(target.values, Number))));
  }
}

function anovaF(x: Float64Array, y: readonly string[]): number {
  const groups = new Map<string, number[]>();
  x.forEach((v, i) => { if (!Number.isNaN(v)) { const g = groups.get(y[i]!) ?? []; g.push(v); groups.set(y[i]!, g); } });
  const all = [...groups.values()].flat();
  const grand = all.reduce((a, b) => a + b, 0) / all.length;
  let between = 0, within = 0;
  for (const g of groups.values()) {
    const m = g.reduce((a, b) => a + b, 0) / g.length;
    between += g.length * (m - grand) ** 2;
    for (const v of g) within += (v - m) ** 2;
  }
  const dfb = groups.size - 1, dfw = all.length - groups.size;
  return dfb > 0 && dfw > 0 ? between / dfb / (within / dfw) : Number.NaN;
}

function fRegression(x: Float64Array, y: ArrayLike<number | string>): number {
  const pairs: [number, number][] = [];
  x.forEach((v, i) => { const t = Number(y[i]); if (!Number.isNaN(v) && !Number.isNaN(t)) pairs.push([v, t]); });
  const n = pairs.length;
  const mx = pairs.reduce((a, p) => a + p[0], 0) / n, my = pairs.reduce((a, p) => a + p[1], 0) / n;
  let sxy = 0, sxx = 0, syy = 0;
  for (const [a, b] of pairs) { sxy += (a - mx) * (b - my); sxx += (a - mx) ** 2; syy += (b - my) ** 2; }
  const r2 = sxx > 0 && syy > 0 ? (sxy * sxy) / (sxx * syy) : 0;
  return n > 2 ? (r2 / (1 - r2)) * (n - 2) : Number.NaN;
}

function chi2(x: Float64Array, y: readonly string[]): number {
  const classes = distinctSorted(y);
  const observed = new Map<string, number>(classes.map((c) => [c, 0]));
  const counts = new Map<string, number>(classes.map((c) => [c, 0]));
  let total = 0;
  x.forEach((v, i) => {
    if (Number.isNaN(v)) return;
    if (v < 0) throw new UserInputError('The chi² score needs non-negative features (counts or one-hot columns).');
    observed.set(y[i]!, (observed.get(y[i]!) ?? 0) + v);
    counts.set(y[i]!, (counts.get(y[i]!) ?? 0) + 1);
    total += v;
  });
  const n = [...counts.values()].reduce((a, b) => a + b, 0);
  let stat = 0;
  for (const c of classes) {
    const expected = (total * (counts.get(c) ?? 0)) / n;
    if (expected > 0) stat += ((observed.get(c) ?? 0) - expected) ** 2 / expected;
  }
  return stat;
}

function binLabels(values: Float64Array): string[] {
  const edges = Array.from({ length: 9 }, (_, i) => quantile(values, (i + 1) / 10));
  return Array.from(values, (v) => String(edges.filter((e) => v > e).length));
}

function mutualInfo(x: Float64Array, y: readonly string[]): number {
  const xb = binLabels(x);
  const joint = new Map<string, number>(), px = new Map<string, number>(), py = new Map<string, number>();
  let n = 0;
  x.forEach((v, i) => {
    if (Number.isNaN(v)) return;
    const a = xb[i]!, b = y[i]!;
    joint.set(`${a}\u0000${b}`, (joint.get(`${a}\u0000${b}`) ?? 0) + 1);
    px.set(a, (px.get(a) ?? 0) + 1);
    py.set(b, (py.get(b) ?? 0) + 1);
    n++;
  });
  let mi = 0;
  for (const [key, c] of joint) {
    const [a, b] = key.split('\u0000');
    mi += (c / n) * Math.log((c * n) / ((px.get(a!) ?? 1) * (py.get(b!) ?? 1)));
  }
  return mi;
}

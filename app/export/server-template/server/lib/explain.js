// POST /explain: exact SHAP attributions per row, grouped to the raw input columns.
//
// explainer.json (written by Vajra's app/explain/explainer.ts) holds the preprocessing graph
// (`featuresOnnx`, base64: raw columns → the model's feature matrix), the model on that feature
// space (a tree ensemble for TreeSHAP, or linear coefficients with the background mean) and the
// lineage feature → raw column. The algorithms below are line-by-line ports of the app's
// app/explain/tree-shap.ts and linear-shap.ts, so the app and the bundle give the same numbers.

import { Buffer } from 'node:buffer';
import ort from 'onnxruntime-node';
import { inputDims } from './schema.js';

/**
 * Loads the explainer's preprocessing graph. `explain(buffers, n)` answers one entry per row:
 * `{output, base_value, attributions: {column: value}}` with base_value + Σ attributions = output.
 */
export async function createExplainRuntime(explainer, spec) {
  const session = await ort.InferenceSession.create(Buffer.from(explainer.featuresOnnx, 'base64'), { intraOpNumThreads: 1, interOpNumThreads: 1, graphOptimizationLevel: 'all' });
  const trees = explainer.tree ? explainer.tree.trees : [];
  const depth = trees.reduce((d, t) => Math.max(d, maxDepth(t)), 0);
  const names = new Set(session.inputNames);

  async function features(buffers, n) {
    const feeds = {};
    spec.inputs.forEach((input, i) => {
      if (names.has(input.name)) feeds[input.name] = new ort.Tensor(input.tensorType, buffers[i], inputDims(input, n));
    });
    const out = await session.run(feeds, ['features']);
    return Float64Array.from(out.features.data);
  }

  async function explain(buffers, n) {
    const x = await features(buffers, n);
    const F = explainer.features.length;
    const { detail, base } = explainer.method === 'tree' ? treeShap(explainer.tree, explainer.outputIndex, x, n, F, depth) : linearShap(explainer.linear, x, n, F);
    const out = [];
    for (let r = 0; r < n; r++) {
      const attributions = Object.fromEntries(explainer.columns.map((c) => [c, 0]));
      let output = base;
      for (let f = 0; f < F; f++) {
        const v = detail[r * F + f];
        output += v;
        attributions[explainer.columns[explainer.lineage[f]]] += v;
      }
      out.push({ output, base_value: base, attributions });
    }
    return out;
  }

  return { explain, output: explainer.output, outputClass: explainer.outputClass };
}

function linearShap(linear, x, n, F) {
  let base = linear.intercept;
  for (let j = 0; j < F; j++) base += linear.coef[j] * linear.mean[j];
  const detail = new Float64Array(n * F);
  for (let r = 0; r < n; r++) for (let j = 0; j < F; j++) detail[r * F + j] = linear.coef[j] * (x[r * F + j] - linear.mean[j]);
  return { detail, base };
}

function maxDepth(tree) {
  const depth = new Int32Array(tree.left.length);
  let deepest = 0;
  for (let i = 0; i < tree.left.length; i++) {
    if (tree.left[i] === -1) continue;
    depth[tree.left[i]] = depth[i] + 1;
    depth[tree.right[i]] = depth[i] + 1;
    deepest = Math.max(deepest, depth[i] + 1);
  }
  return deepest;
}

function expectedLeafValue(tree, k) {
  const out = new Float64Array(k);
  const stack = [[0, 1]];
  while (stack.length > 0) {
    const [node, weight] = stack.pop();
    const l = tree.left[node];
    if (l === -1) {
      for (let j = 0; j < k; j++) out[j] += weight * tree.value[node * k + j];
      continue;
    }
    const r = tree.right[node];
    const c = tree.cover[node];
    stack.push([l, (weight * tree.cover[l]) / c], [r, (weight * tree.cover[r]) / c]);
  }
  return out;
}

/** Path-dependent TreeSHAP (Lundberg et al. 2018, Algorithm 2) of output `o` of every row. */
function treeShap(ensemble, o, x, n, F, depth) {
  const k = ensemble.nOutputs;
  const scale = ensemble.aggregate === 'average' && ensemble.trees.length > 0 ? 1 / ensemble.trees.length : 1;
  const inv = Float64Array.from({ length: depth + 3 }, (_, i) => (i === 0 ? 0 : 1 / i));
  const path = new Float64Array((((depth + 3) * (depth + 4)) / 2) * 4);
  const detail = new Float64Array(n * F);
  let base = ensemble.baseScore[o];
  for (const tree of ensemble.trees) {
    base += scale * expectedLeafValue(tree, k)[o];
    if (tree.left[0] === -1) continue;
    for (let r = 0; r < n; r++) {
      const ctx = { tree, k, o, scale, x, rowBase: r * F, phi: detail, phiBase: r * F, path, inv };
      recurse(ctx, 0, 0, 0, 1, 1, -1);
    }
  }
  return { detail, base };
}

function recurse(ctx, node, depth, parent, pz, po, pf) {
  const { path, tree: t } = ctx;
  const p = parent + depth + 1;
  for (let i = (depth + 1) * 4 - 1; i >= 0; i--) path[p * 4 + i] = path[parent * 4 + i];
  extendPath(path, ctx.inv, p, depth, pz, po, pf);
  const l = t.left[node];
  if (l === -1) {
    for (let i = 1; i <= depth; i++) {
      const e = (p + i) * 4;
      const w = unwoundPathSum(path, ctx.inv, p, depth, i) * (path[e + 2] - path[e + 1]) * ctx.scale;
      ctx.phi[ctx.phiBase + path[e]] += w * t.value[node * ctx.k + ctx.o];
    }
    return;
  }
  const f = t.feature[node];
  const v = ctx.x[ctx.rowBase + f];
  const r = t.right[node];
  const goLeft = v <= t.threshold[node] || (v !== v && t.missingLeft[node] === 1);
  const hot = goLeft ? l : r;
  const cold = goLeft ? r : l;
  const c = t.cover[node];
  let iz = 1;
  let io = 1;
  let d = depth;
  let i = 0;
  while (i <= d && path[(p + i) * 4] !== f) i++;
  if (i <= d) {
    iz = path[(p + i) * 4 + 1];
    io = path[(p + i) * 4 + 2];
    unwindPath(path, p, d, i);
    d--;
  }
  recurse(ctx, hot, d + 1, p, (t.cover[hot] / c) * iz, io, f);
  recurse(ctx, cold, d + 1, p, (t.cover[cold] / c) * iz, 0, f);
}

function extendPath(path, inv, p, d, zero, one, f) {
  const e = (p + d) * 4;
  path[e] = f;
  path[e + 1] = zero;
  path[e + 2] = one;
  path[e + 3] = d === 0 ? 1 : 0;
  const invD = inv[d + 1];
  for (let i = d - 1; i >= 0; i--) {
    const w = (p + i) * 4 + 3;
    const pw = path[w] * invD;
    path[w + 4] += one * pw * (i + 1);
    path[w] = zero * pw * (d - i);
  }
}

function unwindPath(path, p, d, index) {
  const one = path[(p + index) * 4 + 2];
  const zero = path[(p + index) * 4 + 1];
  let next = path[(p + d) * 4 + 3];
  for (let i = d - 1; i >= 0; i--) {
    const w = (p + i) * 4 + 3;
    if (one !== 0) {
      const tmp = path[w];
      path[w] = (next * (d + 1)) / ((i + 1) * one);
      next = tmp - (path[w] * zero * (d - i)) / (d + 1);
    } else {
      path[w] = (path[w] * (d + 1)) / (zero * (d - i));
    }
  }
  for (let i = index; i < d; i++) {
    const e = (p + i) * 4;
    path[e] = path[e + 4];
    path[e + 1] = path[e + 5];
    path[e + 2] = path[e + 6];
  }
}

function unwoundPathSum(path, inv, p, d, index) {
  const one = path[(p + index) * 4 + 2];
  const zero = path[(p + index) * 4 + 1];
  let next = path[(p + d) * 4 + 3];
  let total = 0;
  const invD = inv[d + 1];
  if (one !== 0) {
    const scaled = (d + 1) / one;
    for (let i = d - 1; i >= 0; i--) {
      const tmp = next * scaled * inv[i + 1];
      total += tmp;
      next = path[(p + i) * 4 + 3] - tmp * zero * (d - i) * invD;
    }
  } else if (zero !== 0) {
    const scaled = (d + 1) / zero;
    for (let i = d - 1; i >= 0; i--) total += path[(p + i) * 4 + 3] * scaled * inv[d - i];
  }
  return total;
}

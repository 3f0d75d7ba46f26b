import type { Tree } from '../types';

/** Growable flat storage for one tree while it is being grown; `finish()` trims it to a `Tree`. */
export class TreeBuilder {
  private capacity = 64;
  private count = 0;
  private feature = new Int32Array(this.capacity);
  private threshold = new Float64Array(this.capacity);
  private left = new Int32Array(this.capacity);
  private right = new Int32Array(this.capacity);
  private missingLeft = new Uint8Array(this.capacity);
  private value: Float64Array;
  private cover = new Float64Array(this.capacity);

  constructor(readonly nOutputs: number) {
    this.value = new Float64Array(this.capacity * nOutputs);
  }

  /** Adds a leaf with `cover` and `value` (nOutputs numbers, copied); returns its index. */
  addLeaf(cover: number, value: ArrayLike<number>): number {
    if (this.count === this.capacity) this.grow();
    const id = this.count++;
    this.feature[id] = -1;
    this.left[id] = -1;
    this.right[id] = -1;
    this.cover[id] = cover;
    for (let k = 0; k < this.nOutputs; k++) this.value[id * this.nOutputs + k] = value[k]!;
    return id;
  }

  /** Turns leaf `id` into a split `x[feature] <= threshold` with children `left` and `right`. */
  setSplit(id: number, feature: number, threshold: number, missingLeft: boolean, left: number, right: number): void {
    this.feature[id] = feature;
    this.threshold[id] = threshold;
    this.missingLeft[id] = missingLeft ? 1 : 0;
    this.left[id] = left;
    this.right[id] = right;
  }

  /** Overwrites the value of node `id`. */
  setValue(id: number, value: ArrayLike<number>): void {
    for (let k = 0; k < this.nOutputs; k++) this.value[id * this.nOutputs + k] = value[k]!;
  }

  /** Trimmed copy; inner nodes get the cover-weighted mean of their children (TreeSHAP reads it). */
  finish(): Tree {
    const n = this.count;
    const tree: Tree = {
      feature: this.feature.slice(0, n),
      threshold: this.threshold.slice(0, n),
      left: this.left.slice(0, n),
      right: this.right.slice(0, n),
      missingLeft: this.missingLeft.slice(0, n),
      value: this.value.slice(0, n * this.nOutputs),
      cover: this.cover.slice(0, n),
    };
    fillInnerValues(tree, this.nOutputs);
    return tree;
  }

  private grow(): void {
    this.capacity *= 2;
    this.feature = resize(this.feature, this.capacity);
    this.threshold = resize(this.threshold, this.capacity);
    this.left = resize(this.left, this.capacity);
    this.right = resize(this.right, this.capacity);
    this.missingLeft = resize(this.missingLeft, this.capacity);
    this.value = resize(this.value, this.capacity * this.nOutputs);
    this.cover = resize(this.cover, this.capacity);
  }
}

function resize<T extends Int32Array | Float64Array | Uint8Array>(array: T, length: number): T {
  const Ctor = array.constructor;
  const out: T = Reflect.construct(Ctor, [length]);
  out.set(array);
  return out;
}

/** Children always have larger indices than their parent, so one backward pass suffices. */
function fillInnerValues(tree: Tree, k: number): void {
  for (let i = tree.left.length - 1; i >= 0; i--) {
    const l = tree.left[i]!;
    if (l === -1) continue;
    const r = tree.right[i]!;
    const cl = tree.cover[l]!;
    const cr = tree.cover[r]!;
    const total = cl + cr;
    for (let j = 0; j < k; j++) {
      tree.value[i * k + j] = total > 0 ? (cl * tree.value[l * k + j]! + cr * tree.value[r * k + j]!) / total : 0;
    }
  }
}

"""sklearn permutation_importance (n_repeats 5, roc_auc) on Vajra's tree ensemble.

Reads JSON {x, y, ensemble} on stdin: the same rows and the same trees (Vajra's arrays). The model
is wrapped as a scikit-learn classifier whose predict_proba walks the trees with numpy, vectorised
over rows (the path sklearn's own tree models take in C is not available for foreign trees).
Prints {"ms": median of 3, "importances": [...]} on stdout.
"""
import json
import sys
import time

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.inspection import permutation_importance


class Ensemble(ClassifierMixin, BaseEstimator):
    def __init__(self, trees=None, base=0.0):
        self.trees = trees
        self.base = base

    def fit(self, x, y):
        self.classes_ = np.array([0, 1])
        return self

    def decision_function(self, x):
        x = np.asarray(x, dtype=np.float32)
        raw = np.full(len(x), self.base)
        rows = np.arange(len(x))
        for t in self.trees:
            node = np.zeros(len(x), dtype=np.int64)
            while True:
                leaf = t["left"][node] == -1
                if leaf.all():
                    break
                f = t["feature"][node]
                v = x[rows, np.maximum(f, 0)]
                go_left = (v <= t["threshold"][node]) | (np.isnan(v) & (t["missing_left"][node] == 1))
                nxt = np.where(go_left, t["left"][node], t["right"][node])
                node = np.where(leaf, node, nxt)
            raw += t["value"][node]
        return raw

    def predict_proba(self, x):
        p = 1 / (1 + np.exp(-self.decision_function(x)))
        return np.column_stack([1 - p, p])

    def predict(self, x):
        return (self.decision_function(x) > 0).astype(int)


def main():
    data = json.load(sys.stdin)
    x = np.array(data["x"], dtype=np.float32)
    y = np.array(data["y"])
    trees = [{k: np.array(v) for k, v in t.items()} for t in data["trees"]]
    model = Ensemble(trees, data["base"]).fit(x, y)
    times = []
    result = None
    for _ in range(3):
        start = time.perf_counter()
        result = permutation_importance(model, x, y, scoring="roc_auc", n_repeats=5, random_state=0, n_jobs=1)
        times.append((time.perf_counter() - start) * 1000)
    print(json.dumps({"ms": sorted(times)[1], "importances": result.importances_mean.tolist()}))


if __name__ == "__main__":
    main()

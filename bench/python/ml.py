"""ML anchors of `npm run bench`: sklearn and xgboost on the data bench/ml.ts wrote.

Usage: /usr/bin/python3 bench/python/ml.py DIR MODEL[,MODEL…]
DIR holds x_train.f64, y_train.f64, x_test.f64, y_test.f64 (raw float64) and meta.json.
Every fit but the forest's is the median of three (as bench/ml.ts), the forest's is timed once;
predict is the median of 3 after a first call.
Prints one JSON object: {model: {"fit_ms", "predict_ms", "auc", "accuracy"} | {"error"}}.
Every library runs on one thread (OMP_NUM_THREADS=1, n_jobs=1, nthread=1) like Vajra's trainers.
"""
import json
import os
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402


def load(d):
    meta = json.load(open(os.path.join(d, "meta.json")))
    read = lambda name: np.fromfile(os.path.join(d, name), dtype="<f8")
    x_train = read("x_train.f64").reshape(meta["train"], meta["cols"])
    x_test = read("x_test.f64").reshape(meta["test"], meta["cols"])
    return x_train, read("y_train.f64").astype(np.int64), x_test, read("y_test.f64").astype(np.int64)


def make(name):
    if name == "logistic":
        from sklearn.linear_model import LogisticRegression
        return LogisticRegression(solver="lbfgs", max_iter=1000, tol=1e-4, C=1.0)
    if name == "gbdt":
        from sklearn.ensemble import HistGradientBoostingClassifier
        return HistGradientBoostingClassifier(max_iter=100, early_stopping=False, random_state=0)
    if name == "xgboost":
        import xgboost
        return xgboost.XGBClassifier(n_estimators=100, tree_method="hist", grow_policy="lossguide", max_leaves=31,
                                     max_depth=0, learning_rate=0.1, max_bin=255, min_child_weight=0, nthread=1)
    if name == "forest":
        from sklearn.ensemble import RandomForestClassifier
        return RandomForestClassifier(n_estimators=100, n_jobs=1, random_state=0)
    if name == "tree":
        from sklearn.tree import DecisionTreeClassifier
        return DecisionTreeClassifier(random_state=0)
    if name == "kmeans":
        from sklearn.cluster import KMeans
        return KMeans(n_clusters=8, n_init=10, max_iter=300, tol=1e-4, random_state=0)
    raise ValueError(name)


TIMED_ONCE = {"forest"}  # as bench/ml.ts: every other fit is the median of three


def median_ms(runs, fn):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return sorted(times)[runs // 2]


def run(name, x_train, y_train, x_test, y_test):
    from sklearn.metrics import accuracy_score, roc_auc_score
    def fit():
        fitted = make(name)
        fitted.fit(x_train, y_train) if name != "kmeans" else fitted.fit(x_train)
        return fitted
    start = time.perf_counter()
    model = fit()
    fit_ms = (time.perf_counter() - start) * 1000
    if name not in TIMED_ONCE:
        times = [fit_ms]
        for _ in range(2):
            start = time.perf_counter()
            model = fit()
            times.append((time.perf_counter() - start) * 1000)
        fit_ms = sorted(times)[1]
    predict = (lambda: model.predict(x_test)) if name == "kmeans" else (lambda: model.predict_proba(x_test)[:, 1])
    proba = predict()
    predict_ms = median_ms(3, predict)
    if name == "kmeans":
        return {"fit_ms": fit_ms, "predict_ms": predict_ms, "inertia_per_row": float(model.inertia_) / len(x_train)}
    return {"fit_ms": fit_ms, "predict_ms": predict_ms, "auc": float(roc_auc_score(y_test, proba)),
            "accuracy": float(accuracy_score(y_test, (proba > 0.5).astype(np.int64)))}


def main():
    x_train, y_train, x_test, y_test = load(sys.argv[1])
    out = {}
    for name in sys.argv[2].split(","):
        try:
            out[name] = run(name, x_train, y_train, x_test, y_test)
        except ImportError as error:
            out[name] = {"error": f"missing: {error}"}
    print(json.dumps(out))


if __name__ == "__main__":
    main()

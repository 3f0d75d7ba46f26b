"""Anchor for bench/validate.ts: scipy's ks_2samp + wasserstein_distance on the same generated columns.

Usage: /usr/bin/python3 bench/validate_anchor.py ROWS COLUMNS
Prints JSON {"seconds": compute time (generation excluded), "columns": {"cJ": {"ks_statistic", "ks_pvalue", "wasserstein"}}}.
The columns are generated exactly as bench/validate.ts generates them in DuckDB (same doubles).
"""
import json
import sys
import time

import numpy as np
from scipy.stats import ks_2samp, wasserstein_distance

M = 1000003
PRIMES = [(7919, 104729, 1299709), (15485863, 32452843, 49979687), (67867967, 86028121, 104395301), (122949823, 141650939, 160481183),
          (179424673, 198491317, 217645177), (236887691, 256203161, 275604541), (295075147, 314606869, 334214459), (353868013, 373587883, 393342739),
          (413158511, 433024223, 452930459), (472882027, 492876847, 512927357)]


def column(i, j, shift):
    a, b, c = PRIMES[j]
    u = lambda m: ((i * m) % M).astype(np.float64) / float(M)
    return u(a) + u(b) + u(c) + shift


def main():
    rows, cols = int(sys.argv[1]), int(sys.argv[2])
    out = {}
    seconds = 0.0
    ref_i = np.arange(rows, dtype=np.int64)
    cur_i = ref_i + rows
    for j in range(cols):
        ref = column(ref_i, j, 0.0)
        cur = column(cur_i, j, 0.02 * j)
        start = time.perf_counter()
        ks = ks_2samp(cur, ref)
        w = wasserstein_distance(cur, ref)
        seconds += time.perf_counter() - start
        out[f"c{j}"] = {"ks_statistic": float(ks.statistic), "ks_pvalue": float(ks.pvalue), "wasserstein": float(w)}
    print(json.dumps({"seconds": seconds, "columns": out}))


main()

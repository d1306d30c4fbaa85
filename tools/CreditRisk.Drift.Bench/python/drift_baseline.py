#!/usr/bin/python3
"""The bench's baseline: Evidently's methods restated over numpy/scipy on the arrays the C# bench wrote.

argv[1] is the folder holding manifest.json and, per column, ref_<i>.bin / cur_<i>.bin (little-endian float64;
text columns as category codes). Prints one JSON line: seconds for loading and for the tests, and each column's value.
"""
import json
import os
import sys
import time

import numpy as np
from scipy import stats
from scipy.spatial import distance


def binned(ref, cur, fill):
    if len(np.unique(ref)) > 20:
        edges = np.histogram_bin_edges(np.concatenate([ref, cur]), bins="sturges")
        r = np.histogram(ref, edges)[0] / len(ref)
        c = np.histogram(cur, edges)[0] / len(cur)
    else:
        keys = np.union1d(np.unique(ref), np.unique(cur))
        r = np.array([np.count_nonzero(ref == k) for k in keys]) / len(ref)
        c = np.array([np.count_nonzero(cur == k) for k in keys]) / len(cur)
    if fill:
        for arr in (r, c):
            smallest = arr[arr != 0].min()
            np.place(arr, arr == 0, smallest / 10**6 if smallest <= 0.0001 else 0.0001)
    return r, c


def measure(method, ref, cur):
    if method == "ks":
        return stats.ks_2samp(ref, cur).pvalue
    if method == "wasserstein":
        return stats.wasserstein_distance(ref, cur) / max(np.std(ref), 0.001)
    if method == "jensenshannon":
        r, c = binned(ref, cur, False)
        return distance.jensenshannon(r, c)
    if method == "psi":
        r, c = binned(ref, cur, True)
        return np.sum((r - c) * np.log(r / c))
    if method == "kl":
        r, c = binned(ref, cur, True)
        return stats.entropy(r, c)
    if method == "chisquare":
        keys = np.union1d(np.unique(ref), np.unique(cur))
        k_norm = len(cur) / len(ref)
        f_exp = [np.count_nonzero(ref == k) * k_norm for k in keys]
        f_obs = [np.count_nonzero(cur == k) for k in keys]
        return stats.chisquare(f_obs, f_exp)[1]
    if method == "z":
        keys = np.union1d(np.unique(ref), np.unique(cur))
        if len(keys) == 1:
            return 1.0
        r, c = (ref != keys[0]), (cur != keys[0])
        p1, p2 = r.mean(), c.mean()
        pooled = (p1 * len(r) + p2 * len(c)) / (len(r) + len(c))
        z = (p1 - p2) / np.sqrt(pooled * (1 - pooled) * (1.0 / len(r) + 1.0 / len(c)))
        return 2 * stats.norm.sf(abs(z))
    raise ValueError(method)


def main():
    folder = sys.argv[1]
    with open(os.path.join(folder, "manifest.json")) as f:
        manifest = json.load(f)
    start = time.perf_counter()
    columns = [(np.fromfile(os.path.join(folder, f"ref_{i}.bin"), dtype="<f8"), np.fromfile(os.path.join(folder, f"cur_{i}.bin"), dtype="<f8"))
               for i in range(len(manifest["methods"]))]
    loaded = time.perf_counter()
    values = [float(measure(method, ref, cur)) for method, (ref, cur) in zip(manifest["methods"], columns)]
    done = time.perf_counter()
    print(json.dumps({"load_seconds": loaded - start, "test_seconds": done - loaded, "values": values}))


if __name__ == "__main__":
    main()

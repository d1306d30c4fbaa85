#!/usr/bin/python3
"""Writes cases.json: inputs and scipy 1.10's answers for every drift statistic and for the Evidently pipeline.

Run with Debian's interpreter (python3-scipy 1.10.1, python3-numpy 1.24.2):
    /usr/bin/python3 tests/CreditRisk.Drift.Tests/scipy/make_cases.py

Samples are described by a generator spec instead of being stored: a 64-bit LCG whose uniforms
(top 53 bits / 2**53) the C# tests reproduce bit for bit. A sample is
    shift + scale * (sum of `terms` uniforms - terms / 2)         when levels == 0
    shift + scale * floor(u * levels)                             when levels > 0 (ties, few distinct values)
"""
import json
import math
import os

import numpy as np
import scipy
from scipy import stats
from scipy.spatial import distance
from scipy.special import chdtrc

MASK = (1 << 64) - 1
A = 6364136223846793005
C = 1442695040888963407


def sample(spec):
    state = spec["seed"] & MASK
    out = []
    for _ in range(spec["n"]):
        if spec.get("levels", 0) > 0:
            state = (A * state + C) & MASK
            u = (state >> 11) / 9007199254740992.0
            out.append(spec["shift"] + spec["scale"] * math.floor(u * spec["levels"]))
        else:
            total = 0.0
            for _ in range(spec["terms"]):
                state = (A * state + C) & MASK
                total += (state >> 11) / 9007199254740992.0
            out.append(spec["shift"] + spec["scale"] * (total - spec["terms"] / 2.0))
    return np.array(out, dtype=np.float64)


def spec(seed, n, shift=0.0, scale=1.0, terms=4, levels=0):
    return {"seed": seed, "n": n, "shift": shift, "scale": scale, "terms": terms, "levels": levels}


# --- Evidently's methods restated on numpy arrays (see libs/CreditRisk.Drift/README.md) ---
def binned(ref, cur, fill):
    if len(np.unique(ref)) > 20:
        edges = np.histogram_bin_edges(np.concatenate([ref, cur]), bins="sturges")
        r = np.histogram(ref, edges)[0] / len(ref)
        c = np.histogram(cur, edges)[0] / len(cur)
    else:
        keys = sorted(set(ref.tolist()) | set(cur.tolist()))
        r = np.array([np.count_nonzero(ref == k) / len(ref) for k in keys])
        c = np.array([np.count_nonzero(cur == k) / len(cur) for k in keys])
    if fill:
        for arr in (r, c):
            smallest = arr[arr != 0].min()
            np.place(arr, arr == 0, smallest / 10**6 if smallest <= 0.0001 else 0.0001)
    return r, c


def evidently(method, ref, cur):
    if method == "ks":
        return float(stats.ks_2samp(ref, cur).pvalue)
    if method == "wasserstein":
        return float(stats.wasserstein_distance(ref, cur) / max(np.std(ref), 0.001))
    if method == "chisquare":
        keys = sorted(set(ref.tolist()) | set(cur.tolist()))
        k_norm = len(cur) / len(ref)
        f_exp = [np.count_nonzero(ref == k) * k_norm for k in keys]
        f_obs = [np.count_nonzero(cur == k) for k in keys]
        return float(stats.chisquare(f_obs, f_exp)[1])
    if method == "z":
        keys = sorted(set(ref.tolist()) | set(cur.tolist()))
        if len(keys) == 1:
            return 1.0
        r = (ref != keys[0]).astype(float)
        c = (cur != keys[0]).astype(float)
        n1, n2 = len(r), len(c)
        p1, p2 = r.sum() / n1, c.sum() / n2
        pooled = (p1 * n1 + p2 * n2) / (n1 + n2)
        z = (p1 - p2) / np.sqrt(pooled * (1 - pooled) * (1.0 / n1 + 1.0 / n2))
        return float(2 * stats.norm.sf(abs(z)))
    if method == "jensenshannon":
        r, c = binned(ref, cur, False)
        return float(distance.jensenshannon(r, c))
    if method == "jensenshannon_base2":
        r, c = binned(ref, cur, False)
        return float(distance.jensenshannon(r, c, 2))
    if method == "psi":
        r, c = binned(ref, cur, True)
        return float(np.sum((r - c) * np.log(r / c)))
    if method == "kl":
        r, c = binned(ref, cur, True)
        return float(stats.entropy(r, c))
    raise ValueError(method)


def main():
    cases = {"scipy": scipy.__version__, "numpy": np.__version__}

    ks = []
    seed = 1
    sizes = [(5, 5), (8, 13), (20, 20), (30, 45), (50, 17), (100, 100), (200, 150), (333, 1000), (1000, 1000),
             (1000, 3000), (2500, 4000), (7, 10000), (10000, 9999), (12000, 40), (12000, 130), (11000, 141),
             (15000, 500), (20000, 20000), (30000, 12000)]
    for n1, n2 in sizes:
        for shift, levels in [(0.0, 0), (0.05, 0), (0.3, 0), (1.5, 0), (0.0, 10), (1.0, 10)]:
            a, b = spec(seed, n1), spec(seed + 1000, n2, shift=shift * (1 if levels == 0 else 1))
            if levels:
                a, b = spec(seed, n1, levels=levels), spec(seed + 1000, n2, shift=shift, levels=levels)
            seed += 1
            r = stats.ks_2samp(sample(a), sample(b))
            ks.append({"a": a, "b": b, "statistic": float(r.statistic), "pvalue": float(r.pvalue)})
    cases["ks_2samp"] = ks

    kstwo = []
    for n in [1, 2, 3, 5, 10, 20, 50, 100, 139, 140, 141, 200, 500, 1000, 5000, 20000, 100000, 100001, 250000]:
        for x in [0.001, 0.003, 0.01, 0.02, 0.03, 0.05, 0.07, 0.1, 0.15, 0.2, 0.3, 0.45, 0.5, 0.6, 0.8, 0.95]:
            kstwo.append({"n": n, "x": x, "sf": float(stats.kstwo.sf(x, n))})
        for t in [0.6, 0.9, 1.5, 3.0]:
            x = t / n
            if x < 1:
                kstwo.append({"n": n, "x": x, "sf": float(stats.kstwo.sf(x, n))})
    cases["kstwo_sf"] = kstwo

    chi2 = []
    for df in [1, 2, 3, 4, 5, 9, 10, 29, 50, 101]:
        for x in [0.0, 1e-6, 0.01, 0.5, 1.0, 2.0, 3.84, 7.5, 15.0, 40.0, 100.0, 300.0, 700.0]:
            chi2.append({"df": df, "x": x, "sf": float(chdtrc(df, x))})
    cases["chi2_sf"] = chi2

    chisquare = []
    rng = np.random.default_rng(7)
    for k in [2, 3, 5, 10, 40]:
        for drift in [0.0, 0.05, 0.3, 1.0]:
            probs = rng.dirichlet(np.ones(k))
            shifted = probs * (1 + drift * np.linspace(-0.9, 0.9, k))
            shifted /= shifted.sum()
            n = int(rng.integers(50, 5000))
            obs = rng.multinomial(n, shifted).astype(float)
            exp = probs * n
            r = stats.chisquare(obs, exp)
            chisquare.append({"observed": obs.tolist(), "expected": exp.tolist(), "statistic": float(r.statistic), "pvalue": float(r.pvalue)})
    cases["chisquare"] = chisquare

    z = []
    for x1, n1, x2, n2 in [(10, 100, 12, 100), (50, 100, 70, 100), (1, 30, 9, 30), (300, 1000, 260, 900), (5000, 10000, 5100, 10000),
                           (2, 1000, 40, 1000), (100, 200, 5, 300), (499, 1000, 1, 1000)]:
        p1, p2 = x1 / n1, x2 / n2
        pooled = (p1 * n1 + p2 * n2) / (n1 + n2)
        stat = (p1 - p2) / np.sqrt(pooled * (1 - pooled) * (1.0 / n1 + 1.0 / n2))
        z.append({"x1": x1, "n1": n1, "x2": x2, "n2": n2, "z": float(stat), "pvalue": float(2 * stats.norm.sf(abs(stat)))})
    cases["z"] = z

    erfc = [{"x": x, "erfc": float(scipy.special.erfc(x))} for x in [0.0, 1e-8, 0.1, 0.5, 1.0, 1.5, 2.0, 3.0, 5.0, 8.0, 12.0, 20.0, 26.0]]
    cases["erfc"] = erfc

    wasserstein = []
    seed = 500
    for n1, n2 in [(1, 1), (3, 7), (10, 10), (100, 37), (1000, 1500), (5000, 20000)]:
        for shift, scale, levels in [(0.0, 1.0, 0), (0.2, 1.0, 0), (2.0, 3.0, 0), (0.0, 1.0, 6)]:
            a = spec(seed, n1, levels=levels)
            b = spec(seed + 7, n2, shift=shift, scale=scale, levels=levels)
            seed += 1
            wasserstein.append({"a": a, "b": b, "distance": float(stats.wasserstein_distance(sample(a), sample(b)))})
    cases["wasserstein"] = wasserstein

    divergences = []
    for p, q in [([0.1, 0.2, 0.7], [0.3, 0.3, 0.4]), ([1, 2, 3, 4], [4, 3, 2, 1]), ([0.5, 0.5, 0.0], [0.0, 0.5, 0.5]),
                 ([0.25, 0.25, 0.25, 0.25], [0.25, 0.25, 0.25, 0.25]), ([1e-5, 0.3, 0.69999], [0.2, 0.2, 0.6]),
                 ([0.0001, 0.9999], [0.9999, 0.0001])]:
        p, q = np.array(p, dtype=float), np.array(q, dtype=float)
        item = {"p": p.tolist(), "q": q.tolist(),
                "js": float(distance.jensenshannon(p, q)), "js2": float(distance.jensenshannon(p, q, 2))}
        if np.all(p > 0) and np.all(q > 0):
            item["kl"] = float(stats.entropy(p, q))
            item["psi"] = float(np.sum((p - q) * np.log(p / q)))
        divergences.append(item)
    cases["divergences"] = divergences

    pipeline = []
    seed = 900
    for n1, n2, shift, scale, levels in [(200, 300, 0.0, 1.0, 0), (200, 300, 0.4, 1.0, 0), (5000, 8000, 0.0, 1.0, 0),
                                         (5000, 8000, 0.1, 1.2, 0), (3000, 3000, 0.0, 1.0, 15), (3000, 3000, 2.0, 1.0, 15),
                                         (800, 900, 0.0, 1.0, 4), (800, 900, 1.0, 1.0, 4), (800, 900, 0.0, 1.0, 2),
                                         (400, 600, 0.0, 1.0, 40), (2000, 500, 3.0, 1.0, 30)]:
        a = spec(seed, n1, levels=levels)
        b = spec(seed + 3, n2, shift=shift, scale=scale, levels=levels)
        seed += 1
        ref, cur = sample(a), sample(b)
        methods = ["wasserstein", "jensenshannon", "jensenshannon_base2", "psi", "kl", "chisquare"]
        if len(np.unique(np.concatenate([ref, cur]))) <= 2:
            methods.append("z")
        if len(ref) <= 10000 and len(cur) <= 10000:
            methods.append("ks")
        for method in methods:
            pipeline.append({"a": a, "b": b, "method": method, "value": evidently(method, ref, cur)})
    cases["pipeline"] = pipeline

    histogram = []
    seed = 1500
    for n1, n2, shift in [(50, 60, 0.0), (1000, 1000, 0.5), (4096, 4096, 0.0), (777, 3333, 2.0)]:
        a, b = spec(seed, n1), spec(seed + 1, n2, shift=shift)
        seed += 2
        ref, cur = sample(a), sample(b)
        edges = np.histogram_bin_edges(np.concatenate([ref, cur]), bins="sturges")
        histogram.append({"a": a, "b": b, "edges": edges.tolist(),
                          "ref_counts": np.histogram(ref, edges)[0].tolist(), "cur_counts": np.histogram(cur, edges)[0].tolist()})
    cases["histogram"] = histogram

    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "cases.json")
    with open(path, "w") as f:
        json.dump(cases, f, indent=0)
    print(path, {k: len(v) for k, v in cases.items() if isinstance(v, list)})


if __name__ == "__main__":
    main()

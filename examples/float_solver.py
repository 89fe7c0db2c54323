"""A float64 solver of the recursive-training chain — the kind of code collapse-reference checks.

Run ``python examples/float_solver.py --target 1/4,3/4 --samples 5 --lam 1/3 > theirs.json``
and ``collapse-ref compare theirs.json --tol 1e-9``.  Two plausible bugs can be switched on:

* ``--bug batch-mixing``: with probability lam the *whole batch* is fresh data, instead of
  each sample independently (kernel ``lam Mult(N, mu*) + (1-lam) Mult(N, k/N)``).  The
  barycenter recursion (⋆) still holds, so the stationary barycenter is right and only
  the spread is wrong — exactly the kind of bug a mean-only test misses;
* ``--bug without-replacement``: the synthetic samples are drawn *without replacement*
  from the previous generation's N data points (multivariate hypergeometric) instead of
  i.i.d. from the fitted model.  Again the barycenter is right and the spread is wrong.

This file is an example of *someone else's* implementation: it uses floats on purpose.
"""

from __future__ import annotations

import argparse
import json
from math import comb, prod

import numpy as np


def types(n: int, d: int) -> list[tuple[int, ...]]:
    if d == 1:
        return [(n,)]
    return [(first, *rest) for first in range(n, -1, -1) for rest in types(n - first, d - 1)]


def multinomial_pmf(n: int, q: np.ndarray, k: tuple[int, ...]) -> float:
    coef, rest = 1, n
    for c in k:
        coef *= comb(rest, c)
        rest -= c
    return coef * float(np.prod([qx**c for qx, c in zip(q, k)]))


def hypergeometric_pmf(k: tuple[int, ...], m: int, a: tuple[int, ...]) -> float:
    """P(a | drawing m of the N = sum(k) items without replacement)."""
    return prod(comb(kx, ax) for kx, ax in zip(k, a)) / comb(sum(k), m)


def solve_float(target: list[float], n: int, lam: float, bug: str | None = None) -> dict:
    d = len(target)
    states = types(n, d)
    mu_star = np.array(target)
    kernel = np.zeros((len(states), len(states)))
    for i, k in enumerate(states):
        model = np.array(k) / n
        if bug == "without-replacement":
            for fresh in range(n + 1):  # F fresh samples ~ Bin(N, lam); the other N - F drawn without replacement
                w = comb(n, fresh) * lam**fresh * (1 - lam) ** (n - fresh)
                for a in types(n - fresh, d):
                    h = hypergeometric_pmf(k, n - fresh, a)
                    if h == 0:
                        continue
                    for b in types(fresh, d):
                        j = states.index(tuple(x + y for x, y in zip(a, b)))
                        kernel[i, j] += w * h * multinomial_pmf(fresh, mu_star, b)
        elif bug == "batch-mixing":
            for j, k2 in enumerate(states):
                kernel[i, j] = lam * multinomial_pmf(n, mu_star, k2) + (1 - lam) * multinomial_pmf(n, model, k2)
        else:
            q = lam * mu_star + (1 - lam) * model
            for j, k2 in enumerate(states):
                kernel[i, j] = multinomial_pmf(n, q, k2)
    # stationary law: solve pi (P - I) = 0 with sum(pi) = 1 (assumes a unique recurrent class, lam > 0)
    a = np.vstack([(kernel - np.eye(len(states))).T[:-1], np.ones(len(states))])
    b = np.zeros(len(states))
    b[-1] = 1.0
    pi = np.linalg.solve(a, b)
    laws = np.array(states) / n
    return {"states": [list(k) for k in states], "stationary": [pi.tolist()],
            "barycenters": [(pi @ laws).tolist()], "kernel": kernel.tolist()}


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--target", required=True)
    p.add_argument("--samples", type=int, required=True)
    p.add_argument("--lam", required=True)
    p.add_argument("--bug", choices=["batch-mixing", "without-replacement"])
    args = p.parse_args()
    frac = lambda s: float(s.split("/")[0]) / float(s.split("/")[1]) if "/" in s else float(s)  # noqa: E731
    out = solve_float([frac(t) for t in args.target.split(",")], args.samples, frac(args.lam), args.bug)
    out["instance"] = {"target": args.target.split(","), "samples": args.samples, "lam": args.lam}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
